package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.client.RpcClient;

/**
 * A null argument to mq's public API is refused at once, by name. Before: {@code send(null, 0)}
 * threw the JDK's NullPointerException from deep inside (Cannot read the array length because
 * "message" is null, or none naming the argument); {@code setAttributes(null)} made its remote
 * call first; {@code open(null, ...)} and {@code dataDirectory(null)} named nothing.
 */
class NullArgumentsTest {
  private static void refused(String argument, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(argument, e.getMessage());
  }

  @Test
  void aQueueHandleNamesTheNullArgument() throws Exception {
    try (QueueFixture fixture = new QueueFixture()) {
      RpcClient rpc = fixture.client(1000, 100);
      try (MessageQueue queue = MessageQueues.open(rpc, "/nulls", OpenOptions.create(0600))) {
        refused("message", () -> queue.send(null, 0));
        refused("message", () -> queue.send(null, 99)); // the priority is no longer looked at first
        refused("message", () -> queue.send(null, 0, Duration.ofSeconds(1)));
        refused("timeout", () -> queue.send(new byte[1], 0, null));
        refused("message", () -> queue.trySend(null, 0));
        refused("message", () -> queue.sendAsync(null, 0));
        refused("timeout", () -> queue.sendAsync(new byte[1], 0, null));
        refused("message", () -> queue.trySendAsync(null, 0));
        refused("timeout", () -> queue.receive(null));
        refused("timeout", () -> queue.receiveAsync(null));
        refused("attributes", () -> queue.setAttributes(null));
        queue.setNonBlocking(true); // O_NONBLOCK ignores the timeout: still refused
        refused("timeout", () -> queue.send(new byte[1], 0, null));
        refused("timeout", () -> queue.receive(null));
        assertEquals(0, MessageQueues.stats(rpc, "/nulls").depth(), "nothing was sent");
      }
    }
  }

  @Test
  void theStaticEntryPointsNameTheNullArgument() throws Exception {
    try (QueueFixture fixture = new QueueFixture()) {
      RpcClient rpc = fixture.client(1000, 100);
      OpenOptions options = OpenOptions.create(0600);
      refused("rpc", () -> MessageQueues.open(null, "/q", options));
      refused("rpc", () -> MessageQueues.openAsync(null, "/q", options));
      refused("options", () -> MessageQueues.open(rpc, "/q", null));
      refused("options", () -> MessageQueues.openAsync(rpc, "/q", null));
      refused("name", () -> MessageQueues.open(rpc, null, options));
      refused("rpc", () -> MessageQueues.unlink(null, "/q"));
      refused("rpc", () -> MessageQueues.unlinkAsync(null, "/q"));
      refused("rpc", () -> MessageQueues.stats(null, "/q"));
      refused("rpc", () -> MessageQueues.statsAsync(null, "/q"));
      refused("rpc", () -> MessageQueues.list(null));
      refused("rpc", () -> MessageQueues.listAsync(null));
      refused("access", () -> new OpenOptions(null, false, false, 0, null, false, false));
    }
  }

  @Test
  void theServerSideNamesTheNullArgument() {
    QueueServer.Builder builder = QueueServer.builder();
    refused("lease", () -> builder.reservationLease(null));
    refused("lease", () -> builder.handleLease(null));
    refused("directory", () -> builder.dataDirectory(null));
    PrintWriter out = new PrintWriter(new StringWriter());
    refused("limits", () -> StandaloneQueueServer.serve(null, 0, null, null, out, out));
    refused("out", () -> StandaloneQueueServer.serve(0, null, null, null, null, out));
    refused("err", () -> StandaloneQueueServer.serve(0, null, null, null, out, null));
  }
}
