package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

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
}
