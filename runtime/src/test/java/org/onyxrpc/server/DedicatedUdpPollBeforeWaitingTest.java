package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A UDP socket's own thread looks for the next call before it sleeps ({@link
 * RpcServerBuilder#pollBeforeWaiting}): a call already there is read by a look, and a blocking
 * socket, non-blocking while it looks, still sends a reply that meets a full send buffer.
 */
class DedicatedUdpPollBeforeWaitingTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 0x20000779;
  private static final long WINDOW = 10_000_000; // the most: a look never ends before a call
  /** Waits for the test's word, then answers its argument. */
  private static final Procedure<Integer, Integer> HELD = new Procedure<>(PROGRAM, 1, 1,
      "Poll.held", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.MAYBE);
  /** Answers its argument later, from another thread. */
  private static final Procedure<Integer, Integer> LATER = new Procedure<>(PROGRAM, 1, 2,
      "Poll.later", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.MAYBE);

  private final BlockingQueue<Integer> started = new LinkedBlockingQueue<>();
  private final BlockingQueue<CompletableFuture<Integer>> later = new LinkedBlockingQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private RpcServer server;
  private DatagramChannel channel;
  private BlockingUdpSocket socket;
  private DatagramSocket caller;

  private void start(BlockingUdpSocket.Send sends, long pollNanos) throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(HELD, (n, ctx) -> {
          started.add(n);
          release.await();
          return n;
        })
        .asyncProcedure(LATER, (n, ctx) -> {
          CompletableFuture<Integer> result = new CompletableFuture<>();
          later.add(result);
          return result;
        })
        .build();
    server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).directExecutor()
        .pollBeforeWaiting(Duration.ZERO).addService(service).build().start();
    caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    caller.setSoTimeout(60_000);
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(LOOPBACK, 0));
    // The first call waits in the socket before its thread starts, so the first look finds it.
    call(1, HELD, 1);
    socket = BlockingUdpSocket.serve(server.udpEndpoint(), channel, ByteBufAllocator.DEFAULT,
        sends, pollNanos);
  }

  @AfterEach
  void stop() throws Exception {
    if (socket != null) {
      socket.close();
      socket.awaitEnd(System.nanoTime() + 10_000_000_000L);
    }
    if (server != null) {
      server.close();
    }
    if (caller != null) {
      caller.close();
    }
  }

  @Test
  void aCallThatCameWhileTheLastRanIsReadByALook() throws Exception {
    start(DatagramChannel::send, WINDOW);
    assertEquals(1, started.poll(1, TimeUnit.MINUTES));
    call(2, HELD, 2); // there when the first call's reply has left
    release.countDown();
    assertEquals(1, replyXid());
    assertEquals(2, replyXid());
    assertEquals(2, socket.readByLooks(), "both calls read by a look, neither after a sleep");
  }

  @Test
  void withoutAWindowEveryCallIsReadByAReceive() throws Exception {
    start(DatagramChannel::send, 0);
    assertEquals(1, started.poll(1, TimeUnit.MINUTES));
    call(2, HELD, 2);
    release.countDown();
    assertEquals(1, replyXid());
    assertEquals(2, replyXid());
    assertEquals(0, socket.readByLooks());
  }

  @Test
  void aReplyMeetingAFullSendBufferWhileTheSocketLooksIsSentBlocking() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    start(fullWhileNonBlocking(refused), WINDOW);
    release.countDown();
    assertEquals(1, replyXid(), "sent, not dropped, though the look had left it non-blocking");
    assertEquals(1, refused.get(), "the reply met the socket non-blocking");
    assertEquals(0, server.udpEndpoint().dropped.sum());
  }

  @Test
  void anotherThreadsReplyMeetingAFullSendBufferWhileTheSocketLooksIsSent() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    start(fullWhileNonBlocking(refused), WINDOW);
    release.countDown();
    assertEquals(1, replyXid());
    call(2, LATER, 2);
    CompletableFuture<Integer> result = later.poll(1, TimeUnit.MINUTES);
    Thread other = new Thread(() -> result.complete(2));
    other.start();
    other.join();
    assertEquals(2, replyXid(), "sent once the socket blocks again, not dropped");
    assertEquals(0, server.udpEndpoint().dropped.sum());
  }

  @Test
  void theServerBuilderTakesTheWindowWithinItsBounds() {
    RpcServerBuilder builder = RpcServer.builder().pollBeforeWaiting(Duration.ofMillis(10));
    assertTrue(builder.toString().contains("pollBeforeWaiting=PT0.01S"), builder.toString());
    assertThrows(IllegalArgumentException.class,
        () -> builder.pollBeforeWaiting(Duration.ofNanos(10_000_001)));
  }

  /**
   * The kernel's full send buffer as a socket meets it: a non-blocking send sends nothing
   * (counted in {@code refused}), a blocking one waits (here: finds room at once).
   */
  private static BlockingUdpSocket.Send fullWhileNonBlocking(AtomicInteger refused) {
    return (ch, datagram, to) -> {
      if (!ch.isBlocking()) {
        refused.incrementAndGet();
        return 0;
      }
      return ch.send(datagram, to);
    };
  }

  private void call(int xid, Procedure<Integer, Integer> procedure, int n) throws IOException {
    byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, procedure.number(), OpaqueAuth.NONE,
        ByteBuffer.allocate(4).putInt(n).array());
    caller.send(new DatagramPacket(call, call.length, (InetSocketAddress) channel.getLocalAddress()));
  }

  private int replyXid() throws IOException {
    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
    caller.receive(reply);
    return ByteBuffer.wrap(reply.getData()).getInt(0);
  }
}
