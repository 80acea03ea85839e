package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * A TCP server that takes each connection and closes it without a reply (a process that accepts
 * but does not serve, a proxy with no backend) is as unreachable as one that refuses: a call
 * that never left fails UNAVAILABLE, in both I/O strategies, without waiting for its deadline;
 * one the server read may have run. The deadlines here are a minute long, so a call that waited
 * for its deadline would end TIMEOUT, not with the status asserted.
 */
class DroppedConnectionsTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final List<Integer> procedures = new CopyOnWriteArrayList<>(); // of the calls read
  private ServerSocket listener;

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /** Closes each connection at once, or once it has read one call (whose procedure it notes). */
  private int serve(boolean readFirst) throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try {
        while (true) {
          try (Socket s = listener.accept()) {
            if (readFirst) {
              DataInputStream in = new DataInputStream(s.getInputStream());
              byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
              in.readFully(record);
              procedures.add(ByteBuffer.wrap(record).getInt(20));
            }
          } catch (EOFException e) {
            // the client went first
          }
        }
      } catch (IOException e) {
        // the test is over
      }
    }, "dropping-server");
    t.setDaemon(true);
    t.start();
    return listener.getLocalPort();
  }

  private static RpcClient client(IoStrategy io, int port) {
    return RpcClient.builder().address("127.0.0.1", port).ioStrategy(io)
        .timeout(MINUTE).attemptTimeout(Duration.ofMillis(100)).build();
  }

  private static CompletableFuture<Integer> add(RpcClient client, CallSemantics semantics) {
    return client.callAsync(TestService.ADD, new TestService.Pair(1, 2),
        CallOptions.DEFAULT.withSemantics(semantics));
  }

  private static RpcException failure(CompletableFuture<?> call) {
    return (RpcException) assertThrows(ExecutionException.class,
        () -> call.get(2, TimeUnit.MINUTES)).getCause();
  }

  /** An at-most-once and an at-least-once call both end UNAVAILABLE, saying {@code why}. */
  private static void bothRetransmittingCallsFail(RpcClient client, String why) {
    CompletableFuture<Integer> atMostOnce = add(client, CallSemantics.AT_MOST_ONCE);
    CompletableFuture<Integer> atLeastOnce = add(client, CallSemantics.AT_LEAST_ONCE);
    for (CompletableFuture<Integer> call : List.of(atMostOnce, atLeastOnce)) {
      RpcException e = failure(call);
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains(why), e.getMessage());
    }
  }

  /**
   * Only the NULL ping that goes before a retransmitting call is written, if anything: the
   * connection it went on is lost, and so is the next. Before: TIMEOUT at the deadline with the
   * event loop ("not sent: the server did not answer the NULL ping"), and, when the ping was
   * written before the close was seen, with the caller running too.
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aCallToAServerThatClosesEveryConnectionAtOnceIsUnavailable(IoStrategy io) throws Exception {
    try (RpcClient client = client(io, serve(false))) {
      bothRetransmittingCallsFail(client, "cannot reach tcp 127.0.0.1:");
    }
  }

  /**
   * The server reads the ping before it closes, with either strategy: the ping may have "run",
   * but the call never left (before: TIMEOUT at the deadline with both). A MAYBE call goes
   * without a ping, is read itself, and may have run.
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aServerThatReadsOnlyPingsBeforeItClosesNeverHadTheCall(IoStrategy io) throws Exception {
    try (RpcClient client = client(io, serve(true))) {
      bothRetransmittingCallsFail(client, "NULL ping");
      assertTrue(procedures.stream().allMatch(p -> p == 0), procedures.toString());

      RpcException e = failure(add(client, CallSemantics.MAYBE));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertTrue(procedures.contains(1), procedures.toString());
    }
  }
}
