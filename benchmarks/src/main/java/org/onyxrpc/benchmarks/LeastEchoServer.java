package org.onyxrpc.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.xdr.Xdr;

/**
 * The least a JVM server does to answer {@link AddProgram#ECHO} with the {@code byte[]} an
 * application's procedure takes and returns, in one {@link LeastEchoDesign}: one thread per
 * connection asleep in a blocking read, direct buffers made once per connection, the argument
 * decoded into a new array and the result encoded from it. Nothing else of an RPC server: every
 * record is taken for an echo call with {@code AUTH_NONE} in one fragment (a least client's),
 * and anything else closes the connection.
 */
final class LeastEchoServer implements AutoCloseable {
  /** Bytes of a call record before the opaque's data: mark, header, the opaque's length. */
  static final int CALL_PREFIX_BYTES = RecordMarking.HEADER_BYTES + Wire.CALL_HEADER_BYTES + 4;
  private static final int ACCEPTED_SUCCESS = 0;
  private static final int REPLY = 1;

  private final LeastEchoDesign design;
  private final int maxBytes;
  private final ServerSocketChannel listener;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

  /** Listens on an ephemeral loopback port for echoes of at most {@code maxBytes}, and accepts. */
  LeastEchoServer(LeastEchoDesign design, int maxBytes) throws IOException {
    this.design = design;
    this.maxBytes = maxBytes;
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, ServerThreads.named("least-echo-accept"));
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port listened on. */
  int port() throws IOException {
    return ((InetSocketAddress) listener.getLocalAddress()).getPort();
  }

  private void acceptLoop() {
    try {
      while (true) {
        SocketChannel channel = listener.accept();
        connections.add(channel);
        if (!listener.isOpen()) { // close() may have gone through the set before the add
          channel.close();
          return;
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread t = new Thread(() -> serve(channel), ServerThreads.named("least-echo-conn"));
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void serve(SocketChannel channel) {
    int recordBytes = CALL_PREFIX_BYTES + Xdr.padded(maxBytes);
    ByteBuffer whole = design == LeastEchoDesign.WHOLE_RECORD ? ByteBuffer.allocateDirect(recordBytes) : null;
    ByteBuffer piece = ByteBuffer.allocateDirect(Math.max(CALL_PREFIX_BYTES, LeastEchoDesign.PIECE_BYTES));
    try (channel) {
      while (true) {
        if (design == LeastEchoDesign.WHOLE_RECORD) {
          echoWhole(channel, whole);
        } else {
          echoAsItArrives(channel, piece);
        }
      }
    } catch (EOFException | ClosedChannelException e) {
      // the client went away, or the server closed
    } catch (IOException e) {
      // a connection reset, or a record this server does not take: the connection is closed
    } finally {
      connections.remove(channel);
    }
  }

  /** Reads the call whole, then decodes its opaque, then writes the reply in one piece. */
  private void echoWhole(SocketChannel channel, ByteBuffer record) throws IOException {
    record.clear().limit(CALL_PREFIX_BYTES);
    readFully(channel, record);
    int length = checkedLength(record);
    record.limit(CALL_PREFIX_BYTES + Xdr.padded(length));
    while (record.hasRemaining()) { // in pieces, as a read of Onyx's never exceeds 1 MiB either
      int end = record.limit();
      record.limit(Math.min(end, record.position() + LeastEchoDesign.PIECE_BYTES));
      readFully(channel, record);
      record.limit(end);
    }
    byte[] argument = new byte[length];
    record.get(CALL_PREFIX_BYTES, argument);
    int xid = record.getInt(Wire.XID_OFFSET);

    byte[] result = argument;
    record.clear();
    putReplyPrefix(record, xid, result.length).put(result);
    putPadding(record, result.length).flip();
    writeFully(channel, record);
  }

  /**
   * Makes the argument's array once its length is in and copies each piece into it as it arrives;
   * writes the reply a piece at a time, each copied out of the result just before.
   */
  private void echoAsItArrives(SocketChannel channel, ByteBuffer piece) throws IOException {
    piece.clear().limit(CALL_PREFIX_BYTES);
    readFully(channel, piece);
    int length = checkedLength(piece);
    int xid = piece.getInt(Wire.XID_OFFSET);
    byte[] argument = new byte[length];
    for (int done = 0; done < length; ) {
      piece.clear().limit(Math.min(piece.capacity(), length - done));
      int n = read(channel, piece);
      piece.flip().get(argument, done, n);
      done += n;
    }
    piece.clear().limit(Xdr.padding(length));
    readFully(channel, piece);

    byte[] result = argument;
    piece.clear();
    putReplyPrefix(piece, xid, result.length);
    for (int done = 0; done < result.length; ) {
      if (!piece.hasRemaining()) {
        writeFully(channel, piece.flip());
        piece.clear();
      }
      int n = Math.min(piece.remaining(), result.length - done);
      piece.put(result, done, n);
      done += n;
    }
    if (piece.remaining() < Xdr.padding(result.length)) {
      writeFully(channel, piece.flip());
      piece.clear();
    }
    putPadding(piece, result.length).flip();
    writeFully(channel, piece);
  }

  /** The opaque's length of the call prefix in {@code prefix}, once its mark is checked against it. */
  private int checkedLength(ByteBuffer prefix) throws IOException {
    int mark = prefix.getInt(0);
    int length = prefix.getInt(CALL_PREFIX_BYTES - 4);
    if (length < 0 || length > maxBytes
        || mark != (RecordMarking.LAST_FRAGMENT | (CALL_PREFIX_BYTES - RecordMarking.HEADER_BYTES + Xdr.padded(length)))) {
      throw new IOException("not a least client's echo call");
    }
    return length;
  }

  private static ByteBuffer putReplyPrefix(ByteBuffer out, int xid, int length) {
    int body = Wire.REPLY_HEADER_BYTES + 4 + Xdr.padded(length);
    return out.putInt(RecordMarking.LAST_FRAGMENT | body)
        .putInt(xid).putInt(REPLY).putInt(ACCEPTED_SUCCESS) // xid, REPLY, MSG_ACCEPTED
        .putInt(0).putInt(0) // verifier: AUTH_NONE, no body
        .putInt(ACCEPTED_SUCCESS) // SUCCESS
        .putInt(length);
  }

  static ByteBuffer putPadding(ByteBuffer out, int length) {
    for (int i = 0; i < Xdr.padding(length); i++) {
      out.put((byte) 0);
    }
    return out;
  }

  private static int read(SocketChannel channel, ByteBuffer into) throws IOException {
    int n = channel.read(into);
    if (n < 0) {
      throw new EOFException();
    }
    return n;
  }

  private static void readFully(SocketChannel channel, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      read(channel, into);
    }
  }

  private static void writeFully(SocketChannel channel, ByteBuffer from) throws IOException {
    while (from.hasRemaining()) {
      channel.write(from);
    }
  }

  /** Stops accepting and closes every connection, which ends its thread. */
  @Override
  public void close() throws IOException {
    listener.close();
    for (SocketChannel channel : connections) {
      channel.close();
    }
  }
}
