package org.onyxrpc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One line per call on each side, with numbers, name, status, duration and peer. */
class CallLoggingTest {
  /** Keeps the lines logged at INFO; {@code enabled} false stands for a logger turned off. */
  private static final class Lines extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final boolean enabled;

    Lines(String name, boolean enabled) {
      this.name = name;
      this.enabled = enabled;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      lines.add(MessageFormatter.basicArrayFormat(pattern, arguments));
    }

    // @formatter:off
    @Override public boolean isTraceEnabled() { return false; }
    @Override public boolean isTraceEnabled(Marker marker) { return false; }
    @Override public boolean isDebugEnabled() { return false; }
    @Override public boolean isDebugEnabled(Marker marker) { return false; }
    @Override public boolean isInfoEnabled() { return enabled; }
    @Override public boolean isInfoEnabled(Marker marker) { return enabled; }
    @Override public boolean isWarnEnabled() { return enabled; }
    @Override public boolean isWarnEnabled(Marker marker) { return enabled; }
    @Override public boolean isErrorEnabled() { return enabled; }
    @Override public boolean isErrorEnabled(Marker marker) { return enabled; }
    // @formatter:on
  }

  @Test
  void logsOneLinePerCallOnEachSide() throws Exception {
    Lines clientLines = new Lines(CallLogging.CLIENT_LOGGER, true);
    Lines serverLines = new Lines(CallLogging.SERVER_LOGGER, true);
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(new CallLogging(serverLines)).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(new CallLogging(clientLines)).build()) {
      client.call(TestService.ADD, new TestService.Pair(2, 3));
      try {
        client.call(TestService.FAIL, null);
      } catch (RpcException expected) {
        // logged below
      }
      String program = Integer.toUnsignedString(TestService.PROGRAM);
      assertEquals(2, clientLines.lines.size(), clientLines.lines.toString());
      assertTrue(clientLines.lines.get(0).matches("call " + program
          + "\\.1\\.1 Test\\.add SUCCESS \\d+\\.\\d{3} ms to tcp 127\\.0\\.0\\.1:" + server.port()),
          clientLines.lines.get(0));
      assertTrue(clientLines.lines.get(1).matches("call " + program
          + "\\.1\\.4 Test\\.fail SYSTEM_ERR \\d+\\.\\d{3} ms to tcp 127\\.0\\.0\\.1:\\d+"),
          clientLines.lines.get(1));
      assertEquals(2, serverLines.lines.size(), serverLines.lines.toString());
      assertTrue(serverLines.lines.get(0).matches("served " + program
          + "\\.1\\.1 Test\\.add SUCCESS \\d+\\.\\d{3} ms from tcp 127\\.0\\.0\\.1:\\d+"),
          serverLines.lines.get(0));
      assertTrue(serverLines.lines.get(1).contains("Test.fail SYSTEM_ERR"), serverLines.lines.get(1));
    }
  }

  /**
   * A Unix-domain client chooses its socket's path, newlines included: the server's line shows it
   * escaped, on one line, so a client cannot write log lines of its own. Before, the path was
   * logged as it was.
   */
  @Test
  void aPeersChosenSocketPathIsLoggedOnOneLine(@TempDir Path dir) throws Exception {
    Lines serverLines = new Lines(CallLogging.SERVER_LOGGER, true);
    TestService service = new TestService();
    service.gate.countDown();
    Path socket = dir.resolve("server.sock");
    try (RpcServer server = RpcServer.builder().unixSocket(socket).addService(service.definition())
            .intercept(new CallLogging(serverLines)).build().start();
        SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(dir.resolve("p\nserved 1.1.1 Forged.call SUCCESS")));
      peer.connect(UnixDomainSocketAddress.of(socket));
      byte[] call = TestService.rawHold(7, 1);
      peer.write(ByteBuffer.allocate(4 + call.length).putInt(0x80000000 | call.length).put(call).flip());
      peer.read(ByteBuffer.allocate(64)); // the reply: the line is logged before it is sent
      assertEquals(1, serverLines.lines.size(), serverLines.lines.toString());
      String line = serverLines.lines.get(0);
      assertFalse(line.contains("\n"), line);
      assertTrue(line.endsWith("p\\x0aserved 1.1.1 Forged.call SUCCESS"), line);
    }
  }

  /**
   * A call an interceptor refuses: the caller gets only the status, so the server's line is where
   * the interceptor's reason is read (escaped, on one line: it may quote the peer). Before, the
   * line ended with the peer and the reason was nowhere.
   */
  @Test
  void aRefusedCallsLineSaysTheInterceptorsReason() throws Exception {
    Lines serverLines = new Lines(CallLogging.SERVER_LOGGER, true);
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(new CallLogging(serverLines))
            .intercept(call -> {
              throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "no ticket for\nmallory");
            }).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException refused = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertEquals(RpcStatus.AUTH_ERROR, refused.status());
      assertEquals(1, serverLines.lines.size(), serverLines.lines.toString());
      String line = serverLines.lines.get(0);
      assertTrue(line.matches("served \\d+\\.1\\.1 Test\\.add AUTH_ERROR \\d+\\.\\d{3} ms "
          + "from tcp 127\\.0\\.0\\.1:\\d+: no ticket for\\\\x0amallory"), line);
    }
  }

  /**
   * A reason that quotes what the peer chose (a principal's name) with the line breaks and
   * controls beyond ASCII's: NEL (U+0085), the line and paragraph separators (U+2028, U+2029),
   * the 8-bit CSI a terminal takes for an escape sequence (U+009B), and a lone surrogate (a byte
   * that was not UTF-8). Each is escaped as RateLimitedLog escapes a peer's text, so the line
   * stays one line. Failed before: printable escaped only C0 controls and DEL, and the line kept
   * U+0085 ("expected: <false> but was: <true>").
   */
  @Test
  void aReasonsUnicodeLineBreaksAndControlsAreEscaped() throws Exception {
    Lines serverLines = new Lines(CallLogging.SERVER_LOGGER, true);
    String chosen = "mallory\u0085served 1.1.1 Forged.call SUCCESS\u2028\u2029\u009b31m\udc80";
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .intercept(new CallLogging(serverLines))
            .intercept(call -> {
              throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "no ticket for " + chosen);
            }).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertEquals(1, serverLines.lines.size(), serverLines.lines.toString());
      String line = serverLines.lines.get(0);
      assertFalse(line.chars().anyMatch(c -> c == 0x85 || c == 0x2028 || c == 0x2029
          || c == 0x9b || Character.isSurrogate((char) c)), line);
      assertTrue(line.endsWith(": no ticket for mallory\\x85served 1.1.1 Forged.call SUCCESS"
          + "\\u2028\\u2029\\x9b31m\\udc80"), line);
    }
  }

  @Test
  void aLongPeerNameIsCut() {
    String name = CallLogging.printable("x".repeat(1000));
    assertEquals(128 + 3, name.length(), name);
  }

  @Test
  void aDisabledLoggerLogsNothing() throws Exception {
    Lines off = new Lines(CallLogging.CLIENT_LOGGER, false);
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition())
            .build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(new CallLogging(off)).build()) {
      assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertEquals(List.of(), off.lines);
    }
  }

  @Test
  void theLoggersAreTheDocumentedOnes() {
    assertEquals("CallLogging[org.onyxrpc.calls.client]", CallLogging.client().toString());
    assertEquals("CallLogging[org.onyxrpc.calls.server]", CallLogging.server().toString());
  }
}
