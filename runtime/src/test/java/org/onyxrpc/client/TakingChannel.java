package org.onyxrpc.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A socket for a writer under test: each write takes at most what is left of the bytes it has
 * been told it may take ({@link #mayTake}), as a non-blocking socket whose send buffer fills
 * would, and counts the writes (a write(2) or writev(2) each) that took bytes. No network.
 */
final class TakingChannel extends SocketChannel {
  private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
  private long budget;
  private int writes;

  TakingChannel(long budget) {
    super(SelectorProvider.provider());
    this.budget = budget;
  }

  /** The socket takes {@code more} bytes again. */
  void mayTake(long more) {
    budget += more;
  }

  /** The writes that took bytes. */
  int writes() {
    return writes;
  }

  /** The bytes taken, in order. */
  byte[] taken() {
    return taken.toByteArray();
  }

  @Override
  public int write(ByteBuffer src) {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    long n = 0;
    for (int i = offset; i < offset + length && budget > 0; i++) {
      ByteBuffer src = srcs[i];
      int take = (int) Math.min(src.remaining(), budget);
      byte[] bytes = new byte[take];
      src.get(bytes);
      taken.write(bytes, 0, take);
      budget -= take;
      n += take;
    }
    if (n > 0) {
      writes++;
    }
    return n;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SocketChannel bind(SocketAddress local) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> SocketChannel setOption(SocketOption<T> name, T value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> T getOption(SocketOption<T> name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return Set.of();
  }

  @Override
  public SocketChannel shutdownInput() {
    throw new UnsupportedOperationException();
  }

  @Override
  public SocketChannel shutdownOutput() {
    throw new UnsupportedOperationException();
  }

  @Override
  public java.net.Socket socket() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public boolean isConnectionPending() {
    return false;
  }

  @Override
  public boolean connect(SocketAddress remote) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean finishConnect() {
    return true;
  }

  @Override
  public SocketAddress getRemoteAddress() {
    return null;
  }

  @Override
  public SocketAddress getLocalAddress() {
    return null;
  }

  @Override
  protected void implCloseSelectableChannel() throws IOException {}

  @Override
  protected void implConfigureBlocking(boolean block) {}
}
