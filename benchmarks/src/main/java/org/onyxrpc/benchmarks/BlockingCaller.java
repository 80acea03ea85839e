package org.onyxrpc.benchmarks;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * The JVM's floor for a client: the canned {@link Wire#call()} (xid patched) sent from one
 * blocking JDK socket and its reply read back on the calling thread, which sleeps in the
 * kernel's {@code read} or {@code recvfrom} until the reply comes. No RPC decoding beyond the xid
 * and the result, no deadline, no other caller: what any Java client that must wait in
 * {@code epoll} or time its calls can at best approach. TCP_NODELAY over TCP.
 *
 * <p>With a deadline ({@link #tcp(int, int)}, {@link #udp(int, int)}) the socket has a read
 * timeout ({@code SO_TIMEOUT}), as any JDK client that must give up on a silent peer needs: the
 * JDK then waits for the reply in {@code poll} and reads it after, since it has no blocking read
 * with a timeout. That is the floor of a Java client that honours deadlines.
 */
abstract class BlockingCaller implements AutoCloseable {
  private int xid;

  /** Makes one ADD call and returns its result. */
  final int call() throws IOException {
    return exchange(++xid);
  }

  abstract int exchange(int xid) throws IOException;

  @Override
  public abstract void close() throws IOException;

  /** Over a TCP connection to {@code port} on loopback. */
  static BlockingCaller tcp(int port) throws IOException {
    return new Tcp(port, 0);
  }

  /** Over a TCP connection to {@code port} on loopback, each read given up after {@code timeoutMillis}. */
  static BlockingCaller tcp(int port, int timeoutMillis) throws IOException {
    return new Tcp(port, positive(timeoutMillis));
  }

  /** Over a UDP socket connected to {@code port} on loopback. */
  static BlockingCaller udp(int port) throws IOException {
    return new Udp(port);
  }

  /** Over a UDP socket connected to {@code port} on loopback, each receive given up after {@code timeoutMillis}. */
  static BlockingCaller udp(int port, int timeoutMillis) throws IOException {
    return new UdpWithTimeout(port, positive(timeoutMillis));
  }

  /** A read timeout of 0 means none to the JDK: a deadline must be positive. */
  private static int positive(int timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be positive: " + timeoutMillis);
    }
    return timeoutMillis;
  }

  static IOException wrongReply(int got, int expected) {
    return new IOException("reply to xid " + got + ", expected " + expected);
  }

  private static final class Tcp extends BlockingCaller {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] call = Wire.call();
    private final byte[] reply = new byte[256];

    Tcp(int port, int timeoutMillis) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
      out = socket.getOutputStream();
    }

    @Override
    int exchange(int id) throws IOException {
      int length = Wire.exchange(out, in, call, id, reply);
      return Wire.getInt(reply, length - 4);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static final class Udp extends BlockingCaller {
    private final DatagramChannel channel;
    private final ByteBuffer call;
    private final ByteBuffer reply = ByteBuffer.allocateDirect(256);

    Udp(int port) throws IOException {
      channel = DatagramChannel.open();
      channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      byte[] record = Wire.call();
      call = ByteBuffer.allocateDirect(record.length - RecordMarking.HEADER_BYTES);
      call.put(record, RecordMarking.HEADER_BYTES, call.capacity()).flip();
    }

    @Override
    int exchange(int id) throws IOException {
      call.putInt(0, id);
      call.rewind();
      channel.write(call);
      reply.clear();
      channel.read(reply);
      if (reply.position() < 8 || reply.getInt(0) != id) {
        throw wrongReply(reply.position() < 4 ? -1 : reply.getInt(0), id);
      }
      return reply.getInt(reply.position() - 4);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** A {@link DatagramSocket}, not a channel: a channel's reads have no timeout. */
  private static final class UdpWithTimeout extends BlockingCaller {
    private final DatagramSocket socket;
    private final ByteBuffer call;
    private final DatagramPacket callPacket;
    private final DatagramPacket replyPacket = new DatagramPacket(new byte[256], 256);

    UdpWithTimeout(int port, int timeoutMillis) throws IOException {
      socket = new DatagramSocket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      socket.setSoTimeout(timeoutMillis);
      byte[] record = Wire.call();
      call = ByteBuffer.wrap(Arrays.copyOfRange(record, RecordMarking.HEADER_BYTES, record.length));
      callPacket = new DatagramPacket(call.array(), call.capacity());
    }

    @Override
    int exchange(int id) throws IOException {
      call.putInt(0, id);
      socket.send(callPacket);
      replyPacket.setLength(replyPacket.getData().length);
      socket.receive(replyPacket);
      byte[] reply = replyPacket.getData();
      int length = replyPacket.getLength();
      if (length < 8 || Wire.getInt(reply, 0) != id) {
        throw wrongReply(length < 4 ? -1 : Wire.getInt(reply, 0), id);
      }
      return Wire.getInt(reply, length - 4);
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
