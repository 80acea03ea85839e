package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A caller-runs UDP client reads datagrams while another thread owns its calls (a reply's
 * callback that takes its time, say), and hands each to that owner. A server that floods it then
 * must not make it hold memory without bound: each of its datagrams used to be kept in a fresh
 * buffer of maxDatagramBytes (64 KiB for a 4-byte datagram) until the owner was free. Now the
 * owner gets a copy of each, up to the socket's receive buffer's worth, and the rest are
 * dropped as a full socket drops them.
 */
class DatagramsBehindABusyOwnerTest {
  private static final int DATAGRAMS = 10_000;

  @Test
  void aFloodWhileTheOwnerIsBusyHoldsABoundedAmount() throws Exception {
    ManualTimer clock = new ManualTimer();
    CountDownLatch ownerHeld = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.getLocalPort())
            .transport(Transport.UDP).ioStrategy(IoStrategy.CALLER_RUNS).timer(clock)
            .timeout(Duration.ofMinutes(1)).attemptTimeout(Duration.ofMinutes(1)).build()) {
      server.setSoTimeout(60_000);
      CallOptions once = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);
      // A sync caller whose call the server leaves unanswered: it reads the socket meanwhile.
      CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3), once));
      DatagramPacket call = receive(server);
      int readersXid = ByteBuffer.wrap(call.getData()).getInt(0);
      InetSocketAddress clientAddress = (InetSocketAddress) call.getSocketAddress();
      // An async call that times out on the clock's thread, whose callback then holds the owner.
      CompletableFuture<Integer> slow = client.callAsync(TestService.ADD,
          new TestService.Pair(1, 1), once.withDeadline(Duration.ofSeconds(1)));
      receive(server);
      slow.whenComplete((result, failure) -> {
        ownerHeld.countDown();
        try {
          letGo.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Thread expiry = new Thread(() -> clock.advance(Duration.ofSeconds(2)), "expiry");
      expiry.start();
      assertTrue(ownerHeld.await(1, TimeUnit.MINUTES));

      try {
        long before = PlatformDependent.usedDirectMemory();
        flood(server, clientAddress, 1_000);
        long held = PlatformDependent.usedDirectMemory() - before;
        assertTrue(held < 4 << 20, "direct memory held for 1,000 datagrams of 4 bytes: " + held);
        flood(server, clientAddress, DATAGRAMS - 1_000);
      } finally {
        letGo.countDown();
      }
      expiry.join(TimeUnit.MINUTES.toMillis(1));

      byte[] reply = ByteBuffer.allocate(28).putInt(readersXid).putInt(1).putInt(0).putInt(0)
          .putInt(0).putInt(0).putInt(5).array();
      server.send(new DatagramPacket(reply, reply.length, clientAddress));
      assertEquals(5, reader.get(1, TimeUnit.MINUTES), "the client reads on");
      // Its reply came after every datagram handed over: the owner has dropped them all.
      long handedOver = client.stats().lateReplies();
      assertTrue(handedOver > 1_000 && handedOver < DATAGRAMS,
          "datagrams kept for the busy owner, of " + DATAGRAMS + ": " + handedOver);
    }
  }

  /** Sends {@code count} 4-byte datagrams, each read by the client before the next 50 go. */
  private static void flood(DatagramSocket server, InetSocketAddress client, int count)
      throws IOException {
    byte[] stray = {0, 0, 0, 1}; // an xid, and nothing a reply needs
    for (int i = 0; i < count; i++) {
      server.send(new DatagramPacket(stray, stray.length, client));
      if (i % 50 == 49) { // within the socket's buffer, so that the kernel drops none
        Await.until(() -> unread(client.getPort()) == 0);
      }
    }
  }

  /** The next call other than a ping; pings (the client's tag probe) are answered untagged. */
  private static DatagramPacket receive(DatagramSocket server) throws IOException {
    while (true) {
      DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
      server.receive(packet);
      ByteBuffer call = ByteBuffer.wrap(packet.getData());
      if (call.getInt(20) != 0) {
        return packet;
      }
      byte[] reply = ByteBuffer.allocate(24).putInt(call.getInt(0)).putInt(1).array();
      server.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
    }
  }

  /** Bytes queued in the kernel for the loopback UDP socket on {@code port} (Linux). */
  private static long unread(int port) {
    String local = String.format(Locale.ROOT, ":%04X", port);
    try {
      for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 4 && fields[1].endsWith(local)) {
            return Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no UDP socket on port " + port);
  }
}
