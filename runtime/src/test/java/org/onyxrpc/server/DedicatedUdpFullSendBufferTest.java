package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A UDP socket with a thread of its own ({@link UdpIo#DEDICATED_THREAD}) and an executor, whose
 * send buffer stays full (replies to forged sources on the local network that never answer ARP
 * hold it for seconds): the workers that make the replies never wait for room, so TCP's calls,
 * run by the same workers, are still served.
 */
class DedicatedUdpFullSendBufferTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int WORKERS = 2;

  /**
   * A send buffer with no room while {@link #full} and until {@link #room} opens, as the kernel's:
   * a blocking socket's send waits for room, a non-blocking one's sends nothing.
   */
  private static final class FullSendBuffer implements BlockingUdpSocket.Send {
    final AtomicBoolean full = new AtomicBoolean(true);
    final CountDownLatch room = new CountDownLatch(1);
    final AtomicInteger tries = new AtomicInteger();
    final AtomicInteger waiting = new AtomicInteger();

    @Override
    public int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress to)
        throws IOException {
      if (!full.get() || room.getCount() == 0) {
        return channel.send(datagram, to);
      }
      tries.incrementAndGet();
      if (!channel.isBlocking()) {
        return 0;
      }
      waiting.incrementAndGet();
      try {
        room.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException();
      } finally {
        waiting.decrementAndGet();
      }
      return channel.send(datagram, to);
    }
  }

  @Test
  void repliesMeetingAFullSendBufferAreDroppedAndCountedAndTcpCallsAreServedMeanwhile()
      throws Exception {
    TestService service = new TestService();
    FullSendBuffer full = new FullSendBuffer();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try (RpcServer server = RpcServer.builder().bind(LOOPBACK, 0)
            .transports(Transport.TCP, Transport.UDP).directory(Directory.none())
            .udpIo(UdpIo.DEDICATED_THREAD).executor(workers).addService(service.definition())
            .build().start();
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      channel.bind(new InetSocketAddress(LOOPBACK, 0));
      BlockingUdpSocket socket =
          BlockingUdpSocket.serve(server.udpEndpoint(), channel, ByteBufAllocator.DEFAULT, full);
      String thread = "onyx-server-udp-127.0.0.1:" + socket.localAddress().getPort();
      try {
        int calls = 4 * WORKERS;
        for (int xid = 1; xid <= calls; xid++) {
          byte[] call = RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
              OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(xid).putInt(1).array());
          caller.send(new DatagramPacket(call, call.length, socket.localAddress()));
        }
        // Every worker has met the full buffer at least once (before the fix, each waited there).
        Await.until(() -> full.tries.get() >= WORKERS);

        try (RpcClient tcp = RpcClient.builder().address(new InetSocketAddress(LOOPBACK, server.port()))
            .transport(Transport.TCP).build()) {
          assertEquals(5, tcp.call(TestService.ADD, new TestService.Pair(2, 3),
              CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(10))),
              "a TCP call is served by the same workers");
        }

        // Each reply was tried once and dropped, counted; none waits, none is queued.
        Await.until(() -> full.tries.get() == calls && server.udpEndpoint().dropped.sum() == calls);
        assertEquals(0, full.waiting.get(), "no thread waits for room");
        Await.until(() -> server.callsInFlight() == 0);

        socket.close(); // the buffer still full: nothing holds the socket's thread
        Await.until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals(thread)));
      } finally {
        socket.close();
        full.room.countDown();
      }
    } finally {
      workers.shutdownNow();
    }
  }

  /**
   * With a direct executor the socket blocks, and an asynchronous procedure's reply is made on
   * whichever thread completes its stage (a server I/O thread, if a call it ran completed it):
   * that thread does not wait for room either. Its replies wait, bounded, for a thread of the
   * socket's own, which alone waits; one more is dropped and counted.
   */
  @Test
  void repliesMadeOnOtherThreadsOfABlockingSocketNeverHoldThem() throws Exception {
    int program = 0x20000778;
    Procedure<Integer, Integer> later =
        new Procedure<>(program, 1, 1, "Later.echo", XdrCodecs.INT, XdrCodecs.INT);
    BlockingQueue<CompletableFuture<Integer>> started = new LinkedBlockingQueue<>();
    ServiceDefinition service = ServiceDefinition.builder(program, 1)
        .asyncProcedure(later, (n, ctx) -> {
          CompletableFuture<Integer> result = new CompletableFuture<>();
          started.add(result);
          return result;
        }).build();
    int maxInFlight = 4; // so at most 4 replies wait
    FullSendBuffer full = new FullSendBuffer();
    full.full.set(false);
    try (RpcServer server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
            .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).directExecutor()
            .maxConcurrentCallsPerConnection(maxInFlight).addService(service).build().start();
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      caller.setSoTimeout(60_000);
      channel.bind(new InetSocketAddress(LOOPBACK, 0));
      BlockingUdpSocket socket =
          BlockingUdpSocket.serve(server.udpEndpoint(), channel, ByteBufAllocator.DEFAULT, full);
      String sender = "onyx-server-udp-send-127.0.0.1:" + socket.localAddress().getPort();
      try {
        // With room, a reply made on another thread is sent.
        call(caller, socket, program, 100);
        completeOnAnotherThread(next(started), 100);
        assertEquals(100, replyXid(caller));

        full.full.set(true);
        int calls = maxInFlight + 2; // one waiting for room, maxInFlight queued, one dropped
        for (int xid = 1; xid <= calls; xid++) {
          call(caller, socket, program, xid);
          completeOnAnotherThread(next(started), xid); // before the fix, the first one waited
          if (xid == 1) {
            Await.until(() -> full.waiting.get() == 1); // the socket's sender waits for room
          }
        }
        assertEquals(1, server.udpEndpoint().dropped.sum(), "one reply past the queue dropped");
        assertEquals(1, full.waiting.get(), "only the socket's sender waits");

        socket.close(); // the buffer still full: the sender leaves its wait, and ends
        Await.until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals(sender)));
        assertEquals(0, full.waiting.get());
      } finally {
        socket.close();
        full.room.countDown();
      }
    }
  }

  private static void call(DatagramSocket caller, BlockingUdpSocket socket, int program, int xid)
      throws IOException {
    byte[] call = RawTcpPeer.call(xid, 2, program, 1, 1, OpaqueAuth.NONE,
        ByteBuffer.allocate(4).putInt(xid).array());
    caller.send(new DatagramPacket(call, call.length, socket.localAddress()));
  }

  private static CompletableFuture<Integer> next(BlockingQueue<CompletableFuture<Integer>> started)
      throws InterruptedException {
    CompletableFuture<Integer> result = started.poll(1, TimeUnit.MINUTES);
    assertNotNull(result, "the call reached its procedure");
    return result;
  }

  /**
   * Completes {@code result} on a thread of its own once the server waits for it (completed
   * before, its reply is made on the socket's thread), and returns once that thread is done.
   */
  private static void completeOnAnotherThread(CompletableFuture<Integer> result, int value) {
    Await.until(() -> result.getNumberOfDependents() > 0);
    Thread completer = new Thread(() -> result.complete(value), "completer-" + value);
    completer.start();
    Await.until(() -> !completer.isAlive());
  }

  private static int replyXid(DatagramSocket caller) throws IOException {
    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
    caller.receive(reply);
    return ByteBuffer.wrap(reply.getData(), 0, reply.getLength()).getInt();
  }
}
