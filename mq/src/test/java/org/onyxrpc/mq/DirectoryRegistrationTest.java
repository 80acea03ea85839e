package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/** An RpcServer with the queue service registers it by name; a client finds it there. */
class DirectoryRegistrationTest {
  @Test
  void theQueueServiceIsFoundByNameAndByProgram() throws Exception {
    LocalDirectory directory = Directory.embedded();
    try (QueueServer queues = QueueServer.builder().build();
        RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(directory).addService(queues.service()).build().start()) {
      // The public name, what `onyx list` shows; not the generated classes' internal package.
      assertEquals("org.onyxrpc.mq.MessageQueueService", QueueServer.SERVICE_NAME);
      assertFalse(directory.lookup("org.onyxrpc.mq.MessageQueueService").isEmpty());
      assertEquals(List.of(), directory.lookup(MessageQueueServiceV1.SERVICE_NAME));
      assertTrue(directory.lookup(QueueServer.PROGRAM, QueueServer.VERSION).stream()
          .allMatch(i -> i.name().equals(QueueServer.SERVICE_NAME)));
      assertEquals(server.port(), directory.lookup(QueueServer.SERVICE_NAME).get(0).socketAddress().getPort());
      try (RpcClient rpc = RpcClient.builder().directory(directory, QueueServer.PROGRAM, QueueServer.VERSION)
          .credentials(new AuthSys(0, "test", 1, 1, new int[0])).build()) {
        MessageQueue q = MessageQueues.open(rpc, "/found", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
        q.send(new byte[] {1}, 0);
        assertEquals(1, q.receive().message()[0]);
      }
    }
  }

  /**
   * A client built by name finds the queue server restarted on another port (as {@code onyx mq}
   * without {@code --port}): the runtime looks the program up again when it cannot connect. Before,
   * every call failed UNAVAILABLE "nothing listens at tcp 127.0.0.1:OLDPORT" for good.
   */
  @Test
  void aClientBuiltByNameFindsTheServerRestartedOnAnotherPort(@TempDir Path data) throws Exception {
    LocalDirectory directory = Directory.embedded();
    QueueServer firstQueues = QueueServer.builder().dataDirectory(data).build();
    RpcServer first = server(directory, firstQueues);
    int oldPort = first.port();
    try (RpcClient rpc = RpcClient.builder().directory(directory, QueueServer.PROGRAM, QueueServer.VERSION)
        .credentials(new AuthSys(0, "test", 1, 1, new int[0])).build()) {
      MessageQueue q = MessageQueues.open(rpc, "/restarted", OpenOptions.create(0600, QueueAttributes.of(4, 8)).durable());
      q.send(new byte[] {7}, 0);
      first.close();
      firstQueues.close();
      try (QueueServer queues = QueueServer.builder().dataDirectory(data).build();
          RpcServer second = server(directory, queues)) {
        if (second.port() == oldPort) {
          return; // the same port given back: nothing to find again
        }
        MessageQueue again;
        try {
          again = MessageQueues.open(rpc, "/restarted", OpenOptions.existing());
        } catch (RpcException e) {
          // The kept connection may not have told the client yet that the server closed it: a
          // call sent on it may have run, as far as the client knows. The next is the one that
          // connects, and looks up.
          assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.toString());
          again = MessageQueues.open(rpc, "/restarted", OpenOptions.existing());
        }
        assertEquals(7, again.receive().message()[0], "the durable message, from the new server");
        assertEquals(second.port(), ((java.net.InetSocketAddress) rpc.address()).getPort());
      }
    } finally {
      first.close();
      firstQueues.close();
    }
  }

  private static RpcServer server(Directory directory, QueueServer queues) throws Exception {
    RpcServer s = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory).addService(queues.service()).build().start();
    assertTrue(s.awaitRegistered(Duration.ofSeconds(30)), "registered");
    return s;
  }
}
