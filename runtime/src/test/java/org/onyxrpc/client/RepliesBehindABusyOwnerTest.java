package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
class RepliesBehindABusyOwnerTest {
  private static final int DATAGRAMS = 10_000;
  /**
   * Each blocking task on a thread of its own. JDK 25's async methods run on the common pool by
   * default even when it has a single worker (on two CPUs), where JDK 17 starts a thread per
   * task: the flood there waited for ever behind the caller blocked in its call.
   */
  private static final Executor OWN_THREAD = task -> new Thread(task).start();

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
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
          () -> client.call(TestService.ADD, new TestService.Pair(0, 0), once), OWN_THREAD);
      DatagramPacket firstCall = receive(server);
      byte[] firstReply = ByteBuffer.allocate(28).putInt(ByteBuffer.wrap(firstCall.getData())
          .getInt(0)).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).array();
      server.send(new DatagramPacket(firstReply, firstReply.length, firstCall.getSocketAddress()));
      assertEquals(0, first.get(1, TimeUnit.MINUTES)); // the tag probe is over
      // A sync caller whose call the server leaves unanswered: it reads the socket meanwhile.
      AtomicReference<Thread> readerThread = new AtomicReference<>();
      CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3), once), task -> {
            Thread t = new Thread(task, "reader");
            readerThread.set(t);
            t.start();
          });
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
          letGo.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      // The timer fires once the reader leads, waiting for datagrams without owning the calls:
      // the owner is then free, and the callback holds it on the expiry's thread. Had the reader
      // still owned (writing its call), the callback could have run on it and held its read
      // turn too, and nobody would read the flood until the callback gave up.
      Await.until(() -> waitsForDatagrams(readerThread.get()));
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
      // The expiry's thread took what was handed over before it let go (joined above), so the
      // reply finds the owner free; it is sent every 100 ms all the same until taken, as a
      // retransmission would have it, should one copy be read while the owner is still busy.
      int sent = 0;
      do {
        assertTrue(sent++ < 600, "the reply, sent every 100 ms, still not taken after a minute");
        server.send(new DatagramPacket(reply, reply.length, clientAddress));
      } while (!Await.within(reader::isDone, Duration.ofMillis(100)));
      assertEquals(5, reader.get(), "the client reads on");
      // Its reply came after every datagram handed over: the owner has dropped them all.
      long handedOver = client.stats().lateReplies();
      assertTrue(handedOver > 1_000 && handedOver < DATAGRAMS,
          "datagrams kept for the busy owner, of " + DATAGRAMS + ": " + handedOver);
    }
  }

  /**
   * The same over TCP: a server sends 4 MiB of 8-byte records (an xid each) while the owner is
   * busy. The reader used to read them all, holding about fifteen times their bytes (each a
   * slice, a task and a node, and the read buffer kept whole beneath them); it now stops at 1
   * MiB handed over, the rest left in the socket, and reads on once the owner takes them.
   */
  @Test
  void recordsReadWhileTheOwnerIsBusyStopAtABound() throws Exception {
    ManualTimer clock = new ManualTimer();
    CountDownLatch ownerHeld = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    try (ServerSocket listener = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        RpcClient client = RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
            .ioStrategy(IoStrategy.CALLER_RUNS).timer(clock)
            .timeout(Duration.ofMinutes(1)).attemptTimeout(Duration.ofMinutes(1)).build()) {
      CallOptions once = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
          () -> client.call(TestService.ADD, new TestService.Pair(0, 0), once), OWN_THREAD);
      try (Socket s = listener.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        s.getOutputStream().write(reply(readCall(in, s.getOutputStream()), 0));
        assertEquals(0, first.get(1, TimeUnit.MINUTES)); // the tag probe is over
        // A sync caller whose call the server leaves unanswered: it reads the socket meanwhile.
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(
            () -> client.call(TestService.ADD, new TestService.Pair(2, 3), once), OWN_THREAD);
        int readersXid = readCall(in, s.getOutputStream());
        CompletableFuture<Integer> slow = client.callAsync(TestService.ADD,
            new TestService.Pair(1, 1), once.withDeadline(Duration.ofSeconds(1)));
        readCall(in, s.getOutputStream());
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
        try {
          assertTrue(ownerHeld.await(1, TimeUnit.MINUTES));
          long before = PlatformDependent.usedDirectMemory();
          CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
              OutputStream out = s.getOutputStream();
              ByteBuffer records = ByteBuffer.allocate(64 << 10);
              while (records.hasRemaining()) {
                records.putInt(0x8000_0004).putInt(1); // last fragment of 4 bytes: xid 1
              }
              for (int i = 0; i < 64; i++) {
                out.write(records.array());
              }
              out.write(reply(readersXid, 5));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }, OWN_THREAD);
          // Either all of it is read, or the reader waits for the owner (as it does now): the
          // sync caller or, if it took the turn first, the background reader of the async call.
          // Read in place, half a million records under paranoid leak detection (a stack trace
          // at each access) took over a minute on a loaded machine: a longer bound.
          Await.until(() -> flood.isDone() && unread("tcp", s.getPort()) == 0
              || Thread.getAllStackTraces().keySet().stream()
                  .anyMatch(t -> LockSupport.getBlocker(t) instanceof SocketReader), Duration.ofMinutes(5));
          long held = PlatformDependent.usedDirectMemory() - before;
          assertTrue(held < 2 << 20, "direct memory held for 4 MiB of 8-byte records: " + held);
        } finally {
          letGo.countDown();
        }
        expiry.join(TimeUnit.MINUTES.toMillis(5));
        assertEquals(5, reader.get(5, TimeUnit.MINUTES), "the client reads on"); // as slowly as above
        assertEquals(1 << 19, client.stats().lateReplies());
      }
    }
  }

  /** A record holding a successful reply of one int. */
  private static byte[] reply(int xid, int result) {
    return ByteBuffer.allocate(32).putInt(0x8000_001C).putInt(xid).putInt(1).putInt(0).putInt(0)
        .putInt(0).putInt(0).putInt(result).array();
  }

  /** The xid of the next call other than a ping; pings (the tag probe) are answered untagged. */
  private static int readCall(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      byte[] body = new byte[in.readInt() & 0x7FFF_FFFF];
      in.readFully(body);
      ByteBuffer call = ByteBuffer.wrap(body);
      if (call.getInt(20) != 0) {
        return call.getInt(0);
      }
      out.write(ByteBuffer.allocate(28).putInt(0x8000_0018).putInt(call.getInt(0)).putInt(1)
          .array());
    }
  }

  /** Sends {@code count} 4-byte datagrams, each read by the client before the next 50 go. */
  private static void flood(DatagramSocket server, InetSocketAddress client, int count)
      throws IOException {
    byte[] stray = {0, 0, 0, 1}; // an xid, and nothing a reply needs
    for (int i = 0; i < count; i++) {
      server.send(new DatagramPacket(stray, stray.length, client));
      if (i % 50 == 49) { // within the socket's buffer, so that the kernel drops none
        Await.until(() -> unread("udp", client.getPort()) == 0);
      }
    }
  }

  /** Whether {@code thread} leads, waiting in its selector for datagrams (and so not owning). */
  private static boolean waitsForDatagrams(Thread thread) {
    return thread != null && Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
        frame.getClassName().equals(DatagramReader.class.getName())
            && frame.getMethodName().equals("readOnce"));
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

  /** Bytes queued in the kernel for the loopback {@code protocol} socket on {@code port} (Linux). */
  private static long unread(String protocol, int port) {
    String local = String.format(Locale.ROOT, ":%04X", port);
    try {
      for (String table : new String[] {"/proc/net/" + protocol, "/proc/net/" + protocol + "6"}) {
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
    throw new IllegalStateException("no " + protocol + " socket on port " + port);
  }
}
