package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A result whose encoding fails with an {@link Error} (a deep recursive result overflows the
 * stack; memory runs out) is answered SYSTEM_ERR at once, as a {@link RuntimeException} is, and
 * the reply buffer begun for it is given back: the caller does not wait for its deadline, and
 * nothing leaks.
 */
@ExtendWith(LeakDetection.class)
class ResultEncodingFailureTest {
  private static final int PROGRAM = 0x20000202;

  /** Writes part of a result, then fails as a too-deep one would. */
  static final XdrCodec<Integer> OVERFLOWS = XdrCodecs.of((out, n) -> {
    for (int i = 0; i < n; i++) {
      out.writeInt(1); // nested values begun
    }
    throw new StackOverflowError();
  }, in -> in.readInt());
  static final XdrCodec<Integer> RUNS_OUT = XdrCodecs.of((out, n) -> {
    out.writeInt(n);
    throw new OutOfMemoryError("a test's: no memory for the result");
  }, in -> in.readInt());

  static final Procedure<Integer, Integer> DEEP =
      new Procedure<>(PROGRAM, 1, 1, "Results.deep", XdrCodecs.INT, OVERFLOWS);
  static final Procedure<Integer, Integer> HUGE =
      new Procedure<>(PROGRAM, 1, 2, "Results.huge", XdrCodecs.INT, RUNS_OUT);
  static final Procedure<Integer, Integer> FINE =
      new Procedure<>(PROGRAM, 1, 3, "Results.fine", XdrCodecs.INT, XdrCodecs.INT);
  static final Procedure<Integer, String> NOTHING =
      new Procedure<>(PROGRAM, 1, 4, "Results.nothing", XdrCodecs.INT, XdrCodecs.STRING);

  private RpcServer server;

  private static ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(DEEP, (n, ctx) -> n)
        .procedure(HUGE, (n, ctx) -> n)
        .procedure(FINE, (n, ctx) -> n)
        .procedure(NOTHING, (n, ctx) -> null) // a string has no null in XDR
        .build();
  }

  @AfterEach
  void stop() {
    assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
  }

  @Test
  void anErrorWhileEncodingAResultIsSystemErrOnThePool() throws Exception {
    server = TestTransport.server().addService(service()).build().start();
    callsFailWithSystemErrAndTheServerServesOn();
  }

  @Test
  void anErrorWhileEncodingAResultIsSystemErrOnTheIoThread() throws Exception {
    server = TestTransport.server().directExecutor().addService(service()).build().start();
    callsFailWithSystemErrAndTheServerServesOn();
  }

  /**
   * Fails before (the line quoted the codec's NullPointerException, 'because "seq" is null'): a
   * procedure that returns null where its result's type has none is the server's error, said so
   * in its log, and its caller's SYSTEM_ERR on a connection that serves on.
   */
  @Test
  void aNullResultIsSystemErrAndTheLogSaysTheProcedureReturnedNull() throws Exception {
    server = TestTransport.server().addService(service()).build().start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcClient client = TestTransport.client(server).timeout(Duration.ofSeconds(30)).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(NOTHING, 1));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertEquals(42, client.call(FINE, 42));
      assertEquals(1, client.stats().connects(), "one connection served both calls");
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("could not encode the result of Results.nothing (program 0x20000202"
        + " version 1 procedure 4): the procedure returned null, and only optional data (T *) may"
        + " be null"), logged);
  }

  private void callsFailWithSystemErrAndTheServerServesOn() {
    // A deadline far beyond the test's: a missing reply shows as TIMEOUT, not as a slow test.
    try (RpcClient client = TestTransport.client(server).timeout(Duration.ofSeconds(30)).build()) {
      for (int n : new int[] {0, 100, 40_000}) { // 40,000 ints: the reply has grown past its first buffer
        RpcException e = assertThrows(RpcException.class, () -> client.call(DEEP, n));
        assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      }
      RpcException e = assertThrows(RpcException.class, () -> client.call(HUGE, 7));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertEquals(42, client.call(FINE, 42));
    }
  }
}
