package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.Allocations;

/**
 * A caller-runs UDP client sends each call message from its kept buffer's own NIO buffer: no
 * object per datagram. Before, {@code ByteBuf.readBytes(channel, n)} duplicated the pooled
 * buffer's NIO buffer for every send: a third of the 176 bytes the client allocated a call
 * against the C server (JMH {@code -prof gc}; async-profiler's alloc event named the site).
 */
class DatagramSendViewTest {
  private static final int SENDS = 1000;
  private static final int LENGTH = 40;

  @Test
  void aKeptMessageBufferIsSentWithoutAnObjectPerDatagram() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ByteBuf message = ByteBufAllocator.DEFAULT.directBuffer(256);
    try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        DatagramChannel client = DatagramChannel.open()) {
      client.connect(server.getLocalAddress());
      client.configureBlocking(false);
      message.writeInt(0x1234_5678).writeZero(LENGTH - 4);
      long[] sent = new long[1];
      long allocated = Allocations.of(() -> sent[0] += sendAll(client, message));
      assertTrue(sent[0] > 0, "the kernel took the datagrams");
      assertTrue(allocated < SENDS * 8L, SENDS + " sends allocated " + allocated + " bytes");
      assertEquals(0, message.readerIndex(), "the message is left as it was");
      ByteBuffer first = ByteBuffer.allocate(64);
      server.receive(first); // blocking: the first datagram sent is queued
      assertEquals(LENGTH, first.flip().remaining());
      assertEquals(0x1234_5678, first.getInt());
    } finally {
      message.release();
    }
  }

  /** Sends {@code message} {@link #SENDS} times; the bytes the kernel took. */
  private static long sendAll(DatagramChannel client, ByteBuf message) {
    long bytes = 0;
    try {
      for (int i = 0; i < SENDS; i++) {
        bytes += DatagramCallerRunsConnection.send(client, message);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }
}
