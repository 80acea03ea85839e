package org.onyxrpc.examples.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.calculator.CalculatorV1;
import org.onyxrpc.examples.calculator.DivideByZero;
import org.onyxrpc.examples.calculator.Parity;
import org.onyxrpc.server.RpcServer;

/**
 * A deadline across a chain of calls, as README's Coming from gRPC says: Onyx carries none by
 * itself (a server's procedure that calls another server gives that call its own client's
 * timeout), and {@link PropagatedDeadline}'s two interceptors carry it. The test client calls
 * {@code front}, whose {@code add} calls {@code back}'s through one of two clients, with or
 * without the interceptor; {@code back} records what its procedure was told.
 */
class PropagatedDeadlineTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  /** What the back server's last procedure saw: the remaining deadline. */
  private static final AtomicReference<Optional<Duration>> seen = new AtomicReference<>();

  private static RpcServer back;
  private static RpcServer front;
  private static RpcClient toBackPropagating;
  private static RpcClient toBackPlain;
  private static RpcClient caller;

  /** add(a, b) with a == 1 goes on through the propagating client, else through the plain one. */
  private static final class Front implements CalculatorV1.Calculator {
    @Override
    public long add(long a, long b) {
      RpcClient next = a == 1 ? toBackPropagating : toBackPlain;
      return CalculatorV1.newClient(next).add(a, b);
    }

    @Override
    public long divide(long a, long b) throws DivideByZero {
      return a / b;
    }

    @Override
    public Parity parity(long value) {
      return Parity.EVEN;
    }
  }

  /** Records the deadline its add was given. */
  private static final class Back implements CalculatorV1.Calculator {
    @Override
    public long add(long a, long b) {
      seen.set(PropagatedDeadline.remaining());
      return a + b;
    }

    @Override
    public long divide(long a, long b) {
      return a / b;
    }

    @Override
    public Parity parity(long value) {
      return Parity.EVEN;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    back = RpcServer.builder().bind(loopback, 0).addService(CalculatorV1.bind(new Back()))
        .intercept(PropagatedDeadline.server()).build().start();
    toBackPropagating = RpcClient.builder().address("localhost", back.port())
        .intercept(PropagatedDeadline.client()).build();
    toBackPlain = RpcClient.builder().address("localhost", back.port()).build();
    front = RpcServer.builder().bind(loopback, 0).addService(CalculatorV1.bind(new Front()))
        .intercept(PropagatedDeadline.server()).build().start();
    caller = RpcClient.builder().address("localhost", front.port())
        .intercept(PropagatedDeadline.client()).build();
  }

  @AfterAll
  static void stop() {
    // servers first, so that no reply is left on the way to a closed peer
    front.close();
    back.close();
    toBackPropagating.close();
    toBackPlain.close();
    caller.close();
  }

  private static Optional<Duration> backSeesFrom(long a, CallOptions options) {
    seen.set(null);
    assertEquals(a + 2, CalculatorV1.newClient(caller, options).add(a, 2));
    return seen.get();
  }

  @Test
  void theInterceptorsCarryTheCallersDeadlineToTheNextServer() {
    Optional<Duration> left = backSeesFrom(1, CallOptions.DEFAULT.withDeadline(DEADLINE));
    assertTrue(left.isPresent(), "no deadline reached the second server");
    assertTrue(left.get().compareTo(DEADLINE) <= 0, "more than the caller gave: " + left.get());
  }

  @Test
  void withoutThemTheNextCallHasItsOwnClientsTimeout() {
    assertFalse(backSeesFrom(2, CallOptions.DEFAULT.withDeadline(DEADLINE)).isPresent());
  }

  @Test
  void aCallerWithoutADeadlineSendsNone() {
    assertFalse(backSeesFrom(1, CallOptions.DEFAULT).isPresent());
  }
}
