package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel whose disk fills up or fails on demand: a full disk writes part of a buffer and
 * then refuses each write, a failing one refuses one force; a truncate can be made to fail too.
 */
final class FailingChannel extends FileChannel {
  enum Trouble { NONE, DISK_FULL, FORCE_FAILS }

  private final FileChannel file;
  volatile Trouble trouble = Trouble.NONE;
  volatile boolean truncateFails;

  FailingChannel(FileChannel file) {
    this.file = file;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (trouble == Trouble.DISK_FULL) {
      // As a real full disk: what fits is written, then the call fails.
      int half = src.remaining() / 2;
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + half);
      file.write(part);
      throw new IOException("No space left on device");
    }
    return file.write(src);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (trouble == Trouble.FORCE_FAILS) {
      trouble = Trouble.NONE; // a passing fault: the next force works
      throw new IOException("Input/output error");
    }
    file.force(metaData);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (truncateFails) {
      throw new IOException("Input/output error");
    }
    file.truncate(size);
    return this;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new UnsupportedOperationException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
