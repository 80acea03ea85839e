package org.onyxrpc.mq;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The parity cases' outcomes, printed as {@code src/test/c/linux_parity.c} prints Linux's. */
final class ParityOutcomes {
  private ParityOutcomes() {}

  /** A call that can fail. */
  interface Call {
    void run() throws Exception;
  }

  /** "ok", or the error's name, as the C program's {@code rc}. */
  static String rc(Call call) throws Exception {
    try {
      call.run();
      return "ok";
    } catch (MessageQueueException e) {
      return e.error().name();
    }
  }

  /** The bytes of {@code s} in UTF-8, a message as the C program writes it. */
  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** Attributes as the C program prints them: blocking, max messages, size, current. */
  static String text(QueueAttributes a) {
    return (a.nonBlocking() ? "nonblock" : "block") + "," + a.maxMessages() + "," + a.messageSize() + ","
        + a.currentMessages();
  }

  /** Waits for a notification's registration, throwing its MessageQueueException if it failed. */
  static void unwrap(CompletableFuture<Void> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MessageQueueException m) {
        throw m;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("a registration neither held nor failed", e);
    }
  }

  /** "received:" and the message a receive's future completed with, or its error's name. */
  static String outcome(CompletableFuture<ReceivedMessage> receive) throws Exception {
    try {
      return "received:" + new String(receive.get(20, TimeUnit.SECONDS).message(), UTF_8);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MessageQueueException m) {
        return m.error().name();
      }
      throw e;
    }
  }
}
