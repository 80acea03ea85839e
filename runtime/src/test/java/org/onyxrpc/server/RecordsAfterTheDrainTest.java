package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;

/**
 * What a peer sends once the server's drain is over for its connection (the drain and its grace
 * ended, the server's end shut behind its replies) is read and dropped, undecoded: nothing runs,
 * nothing is refused (a refusal could only be written to an output already shut), nothing leaks,
 * and the connection ends cleanly when the peer closes its side. Both {@link TcpIo}.
 */
@ExtendWith(LeakDetection.class)
class RecordsAfterTheDrainTest {
  private static final int PROGRAM = 0x20000a49;
  private static final Procedure<Void, Integer> COUNT = new Procedure<>(PROGRAM, 1, 1,
      "AfterDrain.count", XdrCodecs.VOID, XdrCodecs.INT);
  /** Held until the test completes it: the drain waits for it. */
  private static final Procedure<Void, Integer> HELD = new Procedure<>(PROGRAM, 1, 2,
      "AfterDrain.held", XdrCodecs.VOID, XdrCodecs.INT);
  private static final int CALLS = 16;

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void recordsSentAfterTheDrainAreDroppedUndecoded(TcpIo io) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Integer> held = new CompletableFuture<>();
    CompletableFuture<Void> heldStarted = new CompletableFuture<>();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).tcpIo(io).directory(Directory.none())
        .shutdownTimeout(Duration.ofMinutes(1))
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(COUNT, (v, ctx) -> runs.incrementAndGet())
            .asyncProcedure(HELD, (v, ctx) -> {
              heldStarted.complete(null);
              return held;
            })
            .build())
        .build().start();
    Thread shutdown = null;
    try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      DataInputStream in = new DataInputStream(peer.getInputStream());
      peer.getOutputStream().write(RawTcpPeer.records(RawTcpPeer.call(1, PROGRAM, 1, HELD.number(),
          OpaqueAuth.NONE, new byte[0]), 1));
      heldStarted.get(1, TimeUnit.MINUTES);
      shutdown = new Thread(server::close, "shutdown");
      shutdown.start();
      awaitDraining(server);
      held.complete(7);
      XdrReader reply = new XdrReader(Unpooled.wrappedBuffer(RawTcpPeer.readRecord(in)));
      assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(reply).status());
      assertEquals(7, XdrCodecs.INT.decode(reply));
      // The drain is over (the call done, the grace passed: the peer stayed): the server shuts
      // its end behind the reply. Its end of stream is the event.
      assertEquals(-1, in.read(), "the server's end shut once the drain was over");
      long refusedBefore = server.refusedDraining();

      peer.getOutputStream().write(RawTcpPeer.records(RawTcpPeer.call(2, PROGRAM, 1, COUNT.number(),
          OpaqueAuth.NONE, new byte[0]), CALLS));
      peer.shutdownOutput(); // the server reads to this end, then closes
      shutdown.join(TimeUnit.MINUTES.toMillis(2));
      assertEquals(0, runs.get(), "run after the drain");
      assertEquals(refusedBefore, server.refusedDraining(),
          "records sent after the drain's end were decoded and refused, to an output already shut");
    } finally {
      held.complete(7);
      if (shutdown != null) {
        shutdown.join(TimeUnit.MINUTES.toMillis(2));
      }
      server.close();
    }
  }

  private static void awaitDraining(RpcServer server) {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!server.draining()) { // the drain's own mark: the event, polled
      if (System.nanoTime() > end) {
        fail("the server never began to drain");
      }
      LockSupport.parkNanos(100_000);
    }
  }
}
