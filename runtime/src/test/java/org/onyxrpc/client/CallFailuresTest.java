package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/** The reason a failed connect gives in a call's message says what went wrong. */
class CallFailuresTest {
  @Test
  void anUnknownHostIsNamedAsOne() {
    // The JDK's message is the bare host name, which alone reads as no reason at all.
    assertEquals("unknown host nosuchhost.invalid",
        CallFailures.reason(new UnknownHostException("nosuchhost.invalid")));
    assertEquals("unknown host nosuchhost.invalid",
        CallFailures.reason(new CompletionException(new UnknownHostException("nosuchhost.invalid"))));
  }

  @Test
  void aUnixSocketPathThatIsNotThereIsNamedAsSuch() {
    // Netty's epoll connect to a missing AF_UNIX path: a FileNotFoundException without a message.
    assertEquals("no such socket file", CallFailures.reason(new java.io.FileNotFoundException()));
    assertEquals("/x: denied", CallFailures.reason(new java.io.FileNotFoundException("/x: denied")));
  }

  @Test
  void aRefusedConnectSaysTheSystemsWordsAloneWhicheverTransportMadeIt() {
    // Netty's epoll and NIO transports, then a connect that failed before an address was known.
    assertEquals("Connection refused", CallFailures.reason(new java.net.ConnectException(
        "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:9")));
    assertEquals("Connection refused", CallFailures.reason(new java.net.ConnectException(
        "Connection refused: localhost/127.0.0.1:4801")));
    assertEquals("No route to host", CallFailures.reason(new java.net.ConnectException(
        "connect(..) failed: No route to host")));
    assertEquals("connection timed out after 10000 ms", CallFailures.reason(
        new io.netty.channel.ConnectTimeoutException("connection timed out after 10000 ms: /10.0.0.1:111")));
    assertEquals("Connection refused", CallFailures.reason(new java.net.ConnectException("Connection refused")));
  }

  @Test
  void otherFailuresKeepTheirOwnWordsOrSayWhatTheyAre() {
    assertEquals("Connection refused", CallFailures.reason(new java.net.ConnectException("Connection refused")));
    assertEquals("IllegalStateException", CallFailures.reason(new IllegalStateException()));
  }

  /**
   * Fails before: a retransmitting call to a port nobody listens on logged
   * "NULL (program … procedure 0) to …: not sent", a NULL call the user never made (the client's
   * own ping, which goes first), and nothing said so.
   */
  @Test
  void theLogLineOfAPingThatCouldNotGoOutSaysItIsTheClientsOwn() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD,
          new TestService.Pair(2, 3), CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("the client's own ping, NULL (program 0x20000101 version 1 procedure 0),"
        + " which goes before its first retransmitting call, to tcp 127.0.0.1:" + port + ": not sent: "), logged);
  }
}
