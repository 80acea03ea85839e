package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.rpc.AuthSys;
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
}
