package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.Await;

/**
 * The replies of a blocking UDP socket made on other threads wait for the socket's sending thread
 * counted by bytes too, not only by number: as many replies as calls in flight, each of the
 * largest datagram, are more than an event-loop socket ever queues.
 */
class OffThreadUdpRepliesTest {
  private static final InetSocketAddress CALLER = caller(1);
  private static final InetSocketAddress OTHER = caller(2);
  private static final int LARGEST = 65_507;

  @Test
  void largeRepliesWaitingForRoomHoldAtMostWhatAnEventLoopSocketQueues() throws Exception {
    int calls = 2048; // 2048 replies of 64 KiB: 128 MiB
    UdpEndpoint endpoint = new UdpEndpoint(null, null, LARGEST, calls, false);
    CountDownLatch room = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    OffThreadUdpReplies replies = new OffThreadUdpReplies(endpoint, (reply, to) -> {
      try {
        room.await(); // a send buffer that stays full
        sent.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        reply.release();
      }
    }, "off-thread-test");
    // One array behind every reply: the test itself holds 64 KiB, the queue counts each.
    byte[] datagram = new byte[LARGEST];
    List<ByteBuf> made = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        ByteBuf reply = Unpooled.wrappedBuffer(datagram);
        made.add(reply);
        replies.send(reply, caller(1 + i % 4)); // four addresses: none holds its half
      }
      long most = 64L << 20; // an event-loop socket's channel queues no more
      int fit = Math.toIntExact(most / (LARGEST + 64)); // 64 bytes for each entry beside

      assertEquals(calls - fit, endpoint.dropped.sum(),
          "replies past 64 MiB are dropped and counted (before: none was, 128 MiB waited)");
      room.countDown();
      Await.until(() -> sent.get() == fit);
      Await.until(() -> made.stream().allMatch(b -> b.refCnt() == 0));
      assertEquals(calls - fit, endpoint.dropped.sum());

      // With the queue drained its bytes are free again: one more reply is taken.
      ByteBuf another = Unpooled.wrappedBuffer(datagram);
      made.add(another);
      replies.send(another, CALLER);
      Await.until(() -> sent.get() == fit + 1);
      assertEquals(calls - fit, endpoint.dropped.sum());
    } finally {
      room.countDown();
      replies.close();
      replies.awaitEnd(System.nanoTime() + 60_000_000_000L);
    }
    assertTrue(made.stream().allMatch(b -> b.refCnt() == 0), "every reply released");
  }

  /**
   * One address's replies take at most half of the bytes, as its calls take at most half of
   * those in flight: another address's reply still waits to be sent, not dropped.
   */
  @Test
  void oneAddressesRepliesLeaveRoomForAnothers() throws Exception {
    int calls = 4096; // its half, 2048 replies of 64 KiB, is twice the 64 MiB
    UdpEndpoint endpoint = new UdpEndpoint(null, null, LARGEST, calls, false);
    CountDownLatch room = new CountDownLatch(1);
    Queue<InetSocketAddress> sent = new ConcurrentLinkedQueue<>();
    OffThreadUdpReplies replies = new OffThreadUdpReplies(endpoint, (reply, to) -> {
      try {
        room.await();
        sent.add(to);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        reply.release();
      }
    }, "off-thread-test");
    byte[] datagram = new byte[LARGEST];
    try {
      for (int i = 0; i < calls / 2; i++) {
        replies.send(Unpooled.wrappedBuffer(datagram), CALLER);
      }
      int half = Math.toIntExact((32L << 20) / (LARGEST + 64));
      assertEquals(calls / 2 - half, endpoint.dropped.sum(), "past its half, CALLER's are dropped");
      replies.send(Unpooled.wrappedBuffer(datagram), OTHER);
      assertEquals(calls / 2 - half, endpoint.dropped.sum(),
          "OTHER's reply waits (before: dropped, CALLER's held all 64 MiB)");
      room.countDown();
      Await.until(() -> sent.size() == half + 1);
      assertEquals(1, sent.stream().filter(OTHER::equals).count());
    } finally {
      room.countDown();
      replies.close();
      replies.awaitEnd(System.nanoTime() + 60_000_000_000L);
    }
  }

  private static InetSocketAddress caller(int host) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host}), 4000);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
