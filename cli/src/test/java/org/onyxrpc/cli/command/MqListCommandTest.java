package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/** {@code onyx mq list}: a running queue server's queues, as an operator lists /dev/mqueue. */
class MqListCommandTest {
  @Test
  void namesTheQueuesAndTheirNumbersWhereTheCallerMayReadThem() throws Exception {
    QueueServer queues = QueueServer.builder().build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(queues.service()).build().start();
        RpcClient owner = RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1001, 100, new int[0])).build();
        MessageQueue jobs = MessageQueues.open(owner, "/jobs",
            OpenOptions.create(0600, QueueAttributes.of(4, 16)));
        MessageQueue mail = MessageQueues.open(owner, "/mail",
            OpenOptions.create(0644, QueueAttributes.of(8, 32)))) {
      jobs.send(new byte[] {1, 2, 3}, 1);
      String at = "127.0.0.1:" + server.port();

      CommandRun names = onyx("mq", "list", at);
      assertEquals(0, names.exit(), names.err());
      assertEquals("/jobs\n/mail\n", names.out());

      CommandRun json = onyx("mq", "list", "--json", at);
      assertEquals("[ \"/jobs\", \"/mail\" ]", json.out().strip().replaceAll("\\s+", " "));

      // Its owner reads both; anyone else reads /mail (0644) and not /jobs (0600).
      CommandRun asOwner = onyx("mq", "list", "--stats", "--auth-sys", "1001:100", at);
      assertEquals(0, asOwner.exit(), asOwner.err());
      String[] rows = asOwner.out().split("\n");
      assertEquals(3, rows.length, asOwner.out());
      assertTrue(rows[0].strip().startsWith("name") && rows[0].contains("depth"), rows[0]);
      assertEquals("/jobs 1 3 0 0 0 1 4 16 no no", rows[1].replaceAll("\\s+", " ").strip());
      assertEquals("/mail 0 0 0 0 0 1 8 32 no no", rows[2].replaceAll("\\s+", " ").strip());
      CommandRun asOther = onyx("mq", "list", "--stats", "--auth-sys", "2002:200", at);
      assertTrue(asOther.out().replaceAll(" +", " ").contains("/jobs EACCES"), asOther.out());
      assertEquals("/mail 0 0 0 0 0 1 8 32 no no", asOther.out().split("\n")[2].replaceAll("\\s+", " ").strip());
    } finally {
      queues.close();
    }
  }

  @Test
  void twoNamesThatDifferAreShownApart() throws Exception {
    // "/x" LF "fake" and "/x\\x0afake" (a backslash, x, 0, a): both were shown /x\x0afake; and
    // format characters were shown as they are, invisible.
    QueueServer queues = QueueServer.builder().build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(queues.service()).build().start();
        RpcClient owner = RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1001, 100, new int[0])).build()) {
      MessageQueues.open(owner, "/x\nfake", OpenOptions.create(0644)).close();
      MessageQueues.open(owner, "/x\\x0afake", OpenOptions.create(0644)).close();
      // And one that looked like "/orders": a zero-width space, and a right-to-left override.
      MessageQueues.open(owner, "/ord\u200bers", OpenOptions.create(0644)).close();
      MessageQueues.open(owner, "/y\u202efake", OpenOptions.create(0644)).close();
      String at = "127.0.0.1:" + server.port();

      CommandRun names = onyx("mq", "list", at);
      assertEquals(0, names.exit(), names.err());
      assertEquals("/ord\\u200bers\n/x\\x0afake\n/x\\\\x0afake\n/y\\u202efake\n", names.out());
      CommandRun table = onyx("mq", "list", "--stats", at);
      String[] rows = table.out().split("\n");
      assertEquals("/x\\x0afake", rows[2].strip().split(" +")[0], table.out());
      assertEquals("/x\\\\x0afake", rows[3].strip().split(" +")[0], table.out());
    } finally {
      queues.close();
    }
  }

  @Test
  void aServerThatIsNotOneIsAnErrorInJsonAndUdpIsRefused() throws Exception {
    try (RpcServer other = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(ServiceDefinition.builder(0x20000999, 1).build())
        .build().start()) {
      CommandRun none = onyx("mq", "list", "127.0.0.1:" + other.port());
      assertEquals(4, none.exit());
      assertTrue(none.out().contains("\"error\" : \"PROG_UNAVAIL\""), none.out());
    }
    CommandRun udp = onyx("mq", "list", "--transport", "udp", "127.0.0.1:1");
    assertEquals(2, udp.exit());
    assertTrue(udp.err().contains("the queue service takes no UDP calls"), udp.err());
  }
}
