package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * The whole text of what {@link RpcServerBuilder} says of a setting it refuses, at once or at
 * {@code build()}: the checks live in helpers ({@code Checks}, {@link ServiceNames}, {@link
 * ServedTransports}), and a user reads the message, not where it was made.
 */
class BuilderMessagesTest {
  @Test
  void settersSayWhichSettingAndWhy() {
    assertMessage(IllegalArgumentException.class, "minRecordBytesPerSecond must be positive: 0",
        () -> RpcServer.builder().minRecordBytesPerSecond(0));
    assertMessage(IllegalArgumentException.class, "maxBufferedBytes must be positive: -1",
        () -> RpcServer.builder().maxBufferedBytes(-1));
    assertMessage(IllegalArgumentException.class, "maxDecodedBytes must be positive: 0",
        () -> RpcServer.builder().maxDecodedBytes(0));
    assertMessage(IllegalArgumentException.class, "maxDecodedBytesInFlight must be positive: 0",
        () -> RpcServer.builder().maxDecodedBytesInFlight(0));
    assertMessage(IllegalArgumentException.class, "maxDatagramBytes must be 64..65507: 65508",
        () -> RpcServer.builder().maxDatagramBytes(65_508));
    assertMessage(IllegalArgumentException.class, "maxDatagramBytes must be 64..65507: 63",
        () -> RpcServer.builder().maxDatagramBytes(63));
    assertMessage(IllegalArgumentException.class, "idleTimeout must not be negative: PT-1S",
        () -> RpcServer.builder().idleTimeout(Duration.ofSeconds(-1)));
    assertMessage(IllegalArgumentException.class, "empty in-process server name",
        () -> RpcServer.builder().inProcess(""));
    assertMessage(IllegalArgumentException.class, "maxBytes must be positive: 0",
        () -> RpcServer.builder().duplicateRequestCache(1, 0, Duration.ofSeconds(1)));
    assertMessage(IllegalArgumentException.class,
        "service name must be 1.." + ServiceInstance.MAX_NAME + " bytes of UTF-8: ",
        () -> RpcServer.builder().serviceName(1, ""));
    // Before: the second name silently replaced the first, which clients then looked up in vain.
    assertMessage(IllegalArgumentException.class, "serviceName(0x20000101, \"b\"): program 0x20000101 is"
        + " already named \"a\", and a program is registered under one name: keep one serviceName call"
        + " per program",
        () -> RpcServer.builder().serviceName(0x20000101, "a").serviceName(0x20000101, "b"));
  }

  @Test
  void theSameNameTwiceIsNoMistake() {
    assertDoesNotThrow(() -> RpcServer.builder().serviceName(0x20000101, "a").serviceName(0x20000101, "a"));
  }

  @Test
  void buildSaysWhatIsMissing() {
    assertMessage(IllegalStateException.class, "a server needs at least one service: add it with addService(...)",
        () -> RpcServer.builder().build());
    assertMessage(IllegalStateException.class, "Transport.IN_PROCESS needs inProcess(name)",
        () -> RpcServer.builder().addService(new TestService().definition())
            .transports(Transport.IN_PROCESS).build());
    // Before the platform's check, which a machine without Unix-domain sockets would fail instead.
    assertMessage(IllegalStateException.class, "Transport.UNIX needs unixSocket(...)",
        () -> RpcServer.builder().addService(new TestService().definition())
            .transports(Transport.UNIX).build());
    // build()'s @throws listed IllegalStateException only; this one was thrown, unlisted, and said
    // nothing of what to do.
    assertMessage(IllegalArgumentException.class, "program 0x20000101 version 1 added twice: addService"
        + " takes each program version once, all its procedures in one definition",
        () -> RpcServer.builder().addService(new TestService().definition())
            .addService(new TestService().definition()).build());
  }

  private static void assertMessage(Class<? extends RuntimeException> type, String message, Executable call) {
    assertEquals(message, assertThrows(type, call).getMessage());
  }
}
