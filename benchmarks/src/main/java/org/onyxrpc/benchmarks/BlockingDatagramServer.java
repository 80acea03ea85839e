package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * The JVM's floor for a UDP server, beside {@link BlockingRecordServer} for TCP: one thread
 * sleeping in a blocking {@code recvfrom} answers each datagram with the canned
 * {@link Wire#reply()} (without its record mark) carrying the call's xid. No RPC decoding: what
 * any Java UDP server stands on.
 */
final class BlockingDatagramServer implements AutoCloseable {
  /** The name of its one thread. */
  static final String THREAD = ServerThreads.named("datagram-baseline");

  private final DatagramChannel channel;
  private final Thread thread;

  /** Binds an ephemeral loopback port and starts answering. */
  BlockingDatagramServer() throws IOException {
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, THREAD);
    thread.setDaemon(true);
    thread.start();
  }

  /** The port bound. */
  int port() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private void serve() {
    byte[] record = Wire.reply();
    ByteBuffer reply = ByteBuffer.allocateDirect(record.length - RecordMarking.HEADER_BYTES);
    reply.put(record, RecordMarking.HEADER_BYTES, reply.capacity()).flip();
    ByteBuffer call = ByteBuffer.allocateDirect(65_536);
    try {
      while (true) {
        call.clear();
        SocketAddress from = channel.receive(call);
        if (call.position() < 4) {
          continue;
        }
        reply.putInt(0, call.getInt(0));
        reply.rewind();
        channel.send(reply, from);
      }
    } catch (ClosedChannelException e) {
      // closed
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
