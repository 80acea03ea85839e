package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

class FailoverDirectoryTest {
  private static final ServiceInstance INSTANCE = new ServiceInstance("n", 0x20000001, 1, "tcp", "0.0.0.0.4.87", "0");

  /** A directory that answers, or fails with a status, and counts the calls it got. */
  private static final class Scripted extends NoDirectoryStub {
    RpcStatus failure;
    final List<String> calls = new ArrayList<>();

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      calls.add("register");
      if (failure != null) {
        throw new RpcException(failure, "scripted");
      }
      return lease;
    }
  }

  private abstract static class NoDirectoryStub implements Directory {
    @Override
    public boolean unregister(ServiceInstance instance) {
      return false;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      return List.of();
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return List.of();
    }
  }

  @Test
  void goesOnToTheNextWhenOneCannotBeReachedAndStaysThere() {
    Scripted a = new Scripted();
    Scripted b = new Scripted();
    FailoverDirectory both = FailoverDirectory.of(List.of(a, b));
    both.register(INSTANCE, Duration.ofSeconds(3));
    a.failure = RpcStatus.UNAVAILABLE;
    both.register(INSTANCE, Duration.ofSeconds(3));
    both.register(INSTANCE, Duration.ofSeconds(3));
    assertEquals(List.of("register", "register"), a.calls, "A tried once after it failed, then left alone");
    assertEquals(List.of("register", "register"), b.calls);
  }

  @Test
  void aRefusalIsTheAnswerAndNoneReachableIsUnavailable() {
    Scripted a = new Scripted();
    Scripted b = new Scripted();
    a.failure = RpcStatus.PROG_UNAVAIL;
    FailoverDirectory both = FailoverDirectory.of(List.of(a, b));
    assertEquals(RpcStatus.PROG_UNAVAIL, assertThrows(RpcException.class,
        () -> both.register(INSTANCE, Duration.ofSeconds(3))).status());
    assertEquals(List.of(), b.calls);
    a.failure = RpcStatus.TIMEOUT;
    b.failure = RpcStatus.UNAVAILABLE;
    assertEquals(RpcStatus.UNAVAILABLE, assertThrows(RpcException.class,
        () -> both.register(INSTANCE, Duration.ofSeconds(3))).status());
  }
}
