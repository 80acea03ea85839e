package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * A raw peer that sends a call with 64 KiB of arguments and resets its connection while a
 * server interceptor holds the call (in {@code onStart}, or in {@code around} before the
 * procedure): when the interceptor lets go, the call ends once, seen closed once by the
 * interceptor, and everything it held is given back (calls in flight, decoded bytes, buffered
 * bytes, the address's entries in the limiter, budget shares and lanes; no buffer leaked, the
 * build's leak detection being paranoid). Probes that held (round 42), pinned.
 */
@ExtendWith(LeakDetection.class)
class InterceptedCallOfAGonePeerTest {
  @ParameterizedTest
  @ValueSource(strings = {"onStart", "around"})
  void aPeerResetWhileAnInterceptorHoldsItsCallLeavesNothingBehind(String where) throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger closed = new AtomicInteger();
    ServerInterceptor holding = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        if (where.equals("onStart")) {
          hold();
        }
      }

      @Override
      public void around(ServerCall call, Runnable procedure) {
        if (where.equals("around")) {
          hold();
        }
        procedure.run();
      }

      @Override
      public void onClose(ServerCall call) {
        closed.incrementAndGet();
      }

      private void hold() {
        entered.countDown();
        try {
          gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(new TestService().definition())
        .intercept(holding).build().start()) {
      byte[] text = new byte[65_536];
      Arrays.fill(text, (byte) 'x');
      byte[] args = ByteBuffer.allocate(4 + text.length).putInt(text.length).put(text).array();
      try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
        peer.sendRecord(RawTcpPeer.call(1, 2, TestService.PROGRAM, 1, TestService.ECHO.number(),
            OpaqueAuth.NONE, args));
        entered.await();
        peer.reset();
      }
      Await.until(() -> server.connections() == 0);
      gate.countDown();
      Await.until(() -> server.callsInFlight() == 0 && server.decodedBytesInFlight() == 0
          && server.bufferedBytes() == 0 && Arrays.equals(new int[3], server.perClientEntries()));
      assertArrayEquals(new int[3], server.perClientEntries(), "limiter addresses, budget shares, lanes");
      Await.until(() -> closed.get() == 1);

      try (RawTcpPeer after = new RawTcpPeer(server.port())) {
        byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
        after.sendRecord(RawTcpPeer.call(2, 2, TestService.PROGRAM, 1, TestService.ECHO.number(),
            OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(2).put(hi).array()));
        byte[] reply = after.readRecord();
        assertEquals(2, ByteBuffer.wrap(reply).getInt(0));
      }
      assertEquals(2, closed.get(), "each call closed once for the interceptor");
    }
  }
}
