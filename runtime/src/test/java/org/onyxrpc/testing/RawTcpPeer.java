package org.onyxrpc.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A hand-driven peer that writes whatever bytes a test wants, well-formed or not: over TCP, or
 * over a Unix-domain or in-process stream ({@link #overNetty}, through {@link TestTransport#raw}).
 */
public final class RawTcpPeer implements AutoCloseable {
  /**
   * How long a read waits unless {@link #timeout} says otherwise: a minute, since a test that
   * reads waits for a reply or a close it expects. A reply to large or pipelined calls can take
   * over 5 s (the old bound) on a loaded machine; only a failing test waits this out.
   */
  static final int READ_TIMEOUT_MILLIS = 60_000;

  private final AutoCloseable connection;
  private final java.util.function.IntConsumer timeout;
  private final DataInputStream in;
  private final OutputStream out;

  public RawTcpPeer(int port) throws IOException {
    this(port, null);
  }

  /** A peer on 127.0.0.1:{@code port} whose own end is {@code from} (127.0.0.2 looks like another host). */
  public RawTcpPeer(int port, java.net.InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    connection = socket;
    timeout = millis -> {
      try {
        socket.setSoTimeout(millis);
      } catch (java.net.SocketException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  private RawTcpPeer(NettyStream stream) {
    connection = stream;
    timeout = stream::timeout;
    in = new DataInputStream(stream.input());
    out = stream.output();
  }

  /** A peer over a Unix-domain socket or in-process name (Netty's channels, as the server's). */
  static RawTcpPeer overNetty(org.onyxrpc.transport.Transport transport, java.net.SocketAddress address)
      throws IOException {
    return new RawTcpPeer(NettyStream.connect(transport, address));
  }

  /** The bytes of a call message: header then {@code args}. */
  public static byte[] call(int xid, int rpcVersion, int program, int version, int procedure,
      OpaqueAuth credential, byte[] args) {
    ByteBuf buf = Unpooled.buffer();
    RpcMessages.writeCall(new XdrWriter(buf),
        new CallHeader(xid, rpcVersion, program, version, procedure, credential, OpaqueAuth.NONE));
    buf.writeBytes(args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  /** The bytes of a call message with a verifier of the test's choosing (an Onyx call tag, say). */
  public static byte[] call(int xid, int program, int version, int procedure, OpaqueAuth verifier,
      byte[] args) {
    ByteBuf buf = Unpooled.buffer();
    RpcMessages.writeCall(new XdrWriter(buf),
        new CallHeader(xid, 2, program, version, procedure, OpaqueAuth.NONE, verifier));
    buf.writeBytes(args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  /** Sends {@code message} as one record of one fragment. */
  public void sendRecord(byte[] message) throws IOException {
    writeInt(0x8000_0000 | message.length);
    out.write(message);
    out.flush();
  }

  /** Sends raw bytes, framing and all. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void writeInt(int value) throws IOException {
    out.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    out.flush();
  }

  /** Reads one whole record (all fragments). */
  public byte[] readRecord() throws IOException {
    return readRecord(in);
  }

  /** {@code copies} one-fragment records of {@code message}, back to back: what one write sends. */
  public static byte[] records(byte[] message, int copies) {
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(copies * (4 + message.length));
    for (int i = 0; i < copies; i++) {
      out.putInt(0x8000_0000 | message.length).put(message);
    }
    return out.array();
  }

  /**
   * A plain socket to loopback {@code port} whose receive window stays small (set before it
   * connects), so that the server's replies fill it unless the test reads.
   */
  public static Socket smallWindow(int port) throws IOException {
    Socket peer = new Socket();
    peer.setReceiveBufferSize(4096);
    peer.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5_000);
    peer.setSoTimeout(READ_TIMEOUT_MILLIS);
    return peer;
  }

  /** Reads one whole record (all fragments) from {@code in}: a stream this class does not own (TLS, say). */
  public static byte[] readRecord(DataInputStream in) throws IOException {
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    while (true) {
      int header = in.readInt();
      byte[] fragment = new byte[header & 0x7FFF_FFFF];
      in.readFully(fragment);
      record.write(fragment);
      if (header < 0) {
        return record.toByteArray();
      }
    }
  }

  /** Reads one record and decodes its reply header. */
  public ReplyHeader readReply() throws IOException {
    return RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(readRecord())));
  }

  /** The next byte, or -1 at end of stream; a reset throws (where {@link #closedByPeer} does not). */
  public int read() throws IOException {
    return in.read();
  }

  /** True if the server closed the connection within the socket timeout. */
  public boolean closedByPeer() throws IOException {
    return closedByPeerAfter(0);
  }

  /**
   * True when the peer closes the connection after sending at most {@code bytes} more bytes
   * (a TLS alert before a close, say), within the read timeout.
   */
  public boolean closedByPeerAfter(int bytes) throws IOException {
    for (int i = 0; i <= bytes; i++) {
      try {
        if (in.read() == -1) {
          return true;
        }
      } catch (EOFException e) {
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // connection reset
      }
    }
    return false;
  }

  /** Shuts this side of a TCP connection (half-close): the peer reads end of stream. */
  public void shutdownOutput() throws IOException {
    if (!(connection instanceof Socket socket)) {
      throw new UnsupportedOperationException("half-close needs a TCP peer");
    }
    socket.shutdownOutput();
  }

  /** Closes a TCP connection with a reset (SO_LINGER 0), as a peer that leaves at once does. */
  public void reset() throws IOException {
    if (!(connection instanceof Socket socket)) {
      throw new UnsupportedOperationException("a reset needs a TCP peer");
    }
    socket.setSoLinger(true, 0);
    socket.close();
  }

  public void timeout(int millis) throws IOException {
    timeout.accept(millis);
  }

  @Override
  public void close() throws IOException {
    try {
      connection.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
