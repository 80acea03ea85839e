package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * Over the Unix-domain socket a caller is who the kernel says ({@code SO_PEERCRED}), not who its
 * AUTH_SYS credential claims: any local process can put any uid in a credential, and the socket
 * is there precisely so that the server knows better. Before, a local user claiming another's uid
 * opened that user's private queues, and one sending AUTH_NONE was nobody, whoever it was.
 */
class UnixSocketCallersTest {
  @TempDir Path work;
  private QueueFixture fixture;
  private int myUid;
  private int otherUid;

  @BeforeEach
  void start() throws Exception {
    QueueServer queues = QueueServer.builder().build();
    RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .unixSocket(work.resolve("mq.sock"))
        .transports(Transport.TCP, Transport.UNIX)
        .directory(Directory.none())
        .addService(queues.service())
        .build()
        .start();
    fixture = new QueueFixture(queues, server);
    // The uid this process runs as, which the kernel reports for its Unix-domain connections.
    myUid = (Integer) Files.getAttribute(Files.createFile(work.resolve("mine")), "unix:uid");
    otherUid = myUid == 4321 ? 4322 : 4321;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private RpcClient overTheSocket(Credentials credentials) {
    return RpcClient.builder().unixSocket(work.resolve("mq.sock")).credentials(credentials)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @Test
  void aClaimedUidOpensNoOtherUsersQueue() {
    RpcClient owner = fixture.client(otherUid, otherUid);
    MessageQueues.open(owner, "/private", OpenOptions.create(0600, QueueAttributes.of(1, 8)))
        .send(new byte[] {42}, 0);
    try (RpcClient impostor = overTheSocket(new AuthSys(0, "test", otherUid, otherUid, new int[0]))) {
      assertEquals(MqError.EACCES, errorOf(() ->
          MessageQueues.open(impostor, "/private", OpenOptions.existing().readOnly())));
      assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.unlink(impostor, "/private")));
    }
    assertEquals(1, fixture.awaitStats("/private", s -> true).depth());
  }

  @Test
  void theKernelsUidIsTheCallerWhateverTheCredential() {
    RpcClient owner = fixture.client(myUid, myUid);
    MessageQueues.open(owner, "/mine", OpenOptions.create(0600, QueueAttributes.of(1, 8)))
        .send(new byte[] {42}, 0);
    try (RpcClient anonymous = overTheSocket(Credentials.NONE)) {
      MessageQueue q = MessageQueues.open(anonymous, "/mine", OpenOptions.existing().readOnly());
      assertEquals(42, q.receive().message()[0]);
      q.close();
    }
  }
}
