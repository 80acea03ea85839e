package org.onyxrpc.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.xdr.Xdr;

/**
 * The least a JVM client does to call {@link AddProgram#ECHO} with a {@code byte[]} and get a new
 * {@code byte[]} back, in one {@link LeastEchoDesign}, as a client that can give up at a deadline
 * must: one non-blocking socket, waiting in a selector only when a read or write finds nothing
 * to do, direct buffers made once. A {@link LeastEchoServer}'s client: it reads replies of one
 * fragment only, with nothing after them.
 */
final class LeastEchoClient implements AutoCloseable {
  /** Bytes of a reply record before the result's data: mark, header, the opaque's length. */
  private static final int REPLY_PREFIX_BYTES = RecordMarking.HEADER_BYTES + Wire.REPLY_HEADER_BYTES + 4;
  private static final long DEADLINE_MILLIS = 25_000;

  private final LeastEchoDesign design;
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer whole; // the call, then the reply: WHOLE_RECORD only
  private final ByteBuffer piece = ByteBuffer.allocateDirect(LeastEchoDesign.PIECE_BYTES);
  private int xid;

  /** Connects to a loopback {@code port} for echoes of at most {@code maxBytes}. */
  LeastEchoClient(LeastEchoDesign design, int port, int maxBytes) throws IOException {
    this.design = design;
    int largest = Math.max(LeastEchoServer.CALL_PREFIX_BYTES, REPLY_PREFIX_BYTES) + Xdr.padded(maxBytes);
    whole = design == LeastEchoDesign.WHOLE_RECORD ? ByteBuffer.allocateDirect(largest) : null;
    channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.configureBlocking(false);
    selector = Selector.open();
    key = channel.register(selector, 0);
  }

  /** Echoes {@code data}; returns the new array that came back. */
  byte[] echo(byte[] data) throws IOException {
    xid++;
    return design == LeastEchoDesign.WHOLE_RECORD ? echoWhole(data) : echoAsItArrives(data);
  }

  private byte[] echoWhole(byte[] data) throws IOException {
    whole.clear();
    putCallPrefix(whole, data.length).put(data);
    LeastEchoServer.putPadding(whole, data.length).flip();
    writeFully(whole);

    whole.clear().limit(REPLY_PREFIX_BYTES);
    readFully(whole);
    int length = checkedLength(whole);
    whole.limit(REPLY_PREFIX_BYTES + Xdr.padded(length));
    while (whole.hasRemaining()) {
      int end = whole.limit();
      whole.limit(Math.min(end, whole.position() + LeastEchoDesign.PIECE_BYTES));
      readFully(whole);
      whole.limit(end);
    }
    byte[] result = new byte[length];
    whole.get(REPLY_PREFIX_BYTES, result);
    return result;
  }

  private byte[] echoAsItArrives(byte[] data) throws IOException {
    piece.clear();
    putCallPrefix(piece, data.length);
    for (int done = 0; done < data.length; ) {
      if (!piece.hasRemaining()) {
        writeFully(piece.flip());
        piece.clear();
      }
      int n = Math.min(piece.remaining(), data.length - done);
      piece.put(data, done, n);
      done += n;
    }
    if (piece.remaining() < Xdr.padding(data.length)) {
      writeFully(piece.flip());
      piece.clear();
    }
    LeastEchoServer.putPadding(piece, data.length).flip();
    writeFully(piece);

    piece.clear().limit(REPLY_PREFIX_BYTES);
    readFully(piece);
    int length = checkedLength(piece);
    byte[] result = new byte[length];
    for (int done = 0; done < length; ) {
      piece.clear().limit(Math.min(piece.capacity(), length - done));
      int n = readSome(piece);
      piece.flip().get(result, done, n);
      done += n;
    }
    piece.clear().limit(Xdr.padding(length));
    readFully(piece);
    return result;
  }

  private ByteBuffer putCallPrefix(ByteBuffer out, int length) {
    int body = Wire.CALL_HEADER_BYTES + 4 + Xdr.padded(length);
    return out.putInt(RecordMarking.LAST_FRAGMENT | body)
        .putInt(xid).putInt(0).putInt(2) // xid, CALL, RPC version 2
        .putInt(AddProgram.PROGRAM).putInt(AddProgram.VERSION).putInt(AddProgram.ECHO.number())
        .putInt(0).putInt(0).putInt(0).putInt(0) // credential and verifier: AUTH_NONE
        .putInt(length);
  }

  /** The result's length of the reply prefix in {@code prefix}, once the rest of it is checked. */
  private int checkedLength(ByteBuffer prefix) throws IOException {
    int mark = prefix.getInt(0);
    int length = prefix.getInt(REPLY_PREFIX_BYTES - 4);
    if (prefix.getInt(Wire.XID_OFFSET) != xid || length < 0
        || mark != (RecordMarking.LAST_FRAGMENT | (REPLY_PREFIX_BYTES - RecordMarking.HEADER_BYTES + Xdr.padded(length)))
        || prefix.getInt(Wire.XID_OFFSET + 20) != 0) {
      throw new IOException("not a successful one-fragment reply to call " + xid);
    }
    return length;
  }

  /** Reads what has arrived into {@code into}, waiting for at least one byte. */
  private int readSome(ByteBuffer into) throws IOException {
    while (true) {
      int n = channel.read(into);
      if (n < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (n > 0) {
        return n;
      }
      await(SelectionKey.OP_READ);
    }
  }

  private void readFully(ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      readSome(into);
    }
  }

  private void writeFully(ByteBuffer from) throws IOException {
    while (from.hasRemaining()) {
      if (channel.write(from) == 0) {
        await(SelectionKey.OP_WRITE);
      }
    }
  }

  private void await(int operation) throws IOException {
    key.interestOps(operation);
    if (selector.select(DEADLINE_MILLIS) == 0) {
      throw new IOException("no progress within " + DEADLINE_MILLIS + " ms");
    }
    selector.selectedKeys().clear();
  }

  @Override
  public void close() throws IOException {
    selector.close();
    channel.close();
  }
}
