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
  void otherFailuresKeepTheirOwnWordsOrSayWhatTheyAre() {
    assertEquals("Connection refused", CallFailures.reason(new java.net.ConnectException("Connection refused")));
    assertEquals("IllegalStateException", CallFailures.reason(new IllegalStateException()));
  }
}
