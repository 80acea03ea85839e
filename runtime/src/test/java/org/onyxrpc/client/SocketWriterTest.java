package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * What the caller-runs client's socket writer knows once its connection is lost: the calls it
 * had queued whole, of which no byte reached the socket, never left (they cannot have run); the
 * ones the socket took, and the one it took part of, may have.
 */
class SocketWriterTest {
  private static final int RECORD_BYTES = 256 << 10; // more than the sockets hold: taken in part

  /**
   * A record of {@link #RECORD_BYTES}: its record mark, then its xid, again and again, so that a
   * writer that took the xid of a record written in part from where it stopped would find it.
   */
  private static ByteBuf record(int xid) {
    ByteBuf record = Unpooled.directBuffer(RECORD_BYTES);
    record.writeInt(0x80000000 | (RECORD_BYTES - 4));
    while (record.isWritable()) {
      record.writeInt(xid);
    }
    return record;
  }

  @Test
  void callsQueuedWholeWhenTheConnectionIsLostNeverLeft() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel peer = server.accept()) { // never reads until the end
        client.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        client.configureBlocking(false);
        SocketWriter writer = new SocketWriter(client, ByteBufAllocator.DEFAULT, () -> { });
        int xid = 0;
        while (writer.queuedBytes() == 0) { // until the socket takes no more
          writer.write(record(++xid));
        }
        for (int i = 0; i < 3; i++) {
          writer.write(record(++xid));
        }
        // The socket takes some more: what is queued is a head, taken in part or not, and whole
        // records behind it.
        peer.read(ByteBuffer.allocate(RECORD_BYTES));
        writer.flushQueued();
        long queued = writer.queuedBytes();
        int left = (int) ((queued + RECORD_BYTES - 1) / RECORD_BYTES);
        int head = xid - left + 1;
        assertTrue(left >= 2, queued + " bytes queued");
        writer.release(); // the connection is lost
        for (int taken = 1; taken < head; taken++) {
          assertFalse(writer.neverLeft(taken), "taken whole by the socket: " + taken);
        }
        assertEquals(queued % RECORD_BYTES == 0, writer.neverLeft(head),
            "the head, of which " + (RECORD_BYTES - queued % RECORD_BYTES) % RECORD_BYTES + " bytes went");
        for (int whole = head + 1; whole <= xid; whole++) {
          assertTrue(writer.neverLeft(whole), "queued whole: " + whole);
        }
        assertFalse(writer.neverLeft(xid + 1), "never written at all: not this writer's");
      }
    }
  }
}
