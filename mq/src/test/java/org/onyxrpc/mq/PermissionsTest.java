package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Credentials;

/** Owner, group and other bits checked against the caller's AUTH_SYS identity. */
class PermissionsTest {
  private QueueFixture fixture;
  private RpcClient owner;

  @BeforeEach
  void start() throws Exception {
    fixture = new QueueFixture();
    owner = fixture.client(1000, 100);
    MessageQueues.open(owner, "/perm", OpenOptions.create(0640, QueueAttributes.of(4, 8))).send(new byte[1], 0);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void groupMayReadButNotWrite() {
    RpcClient member = fixture.client(1001, 100);
    MessageQueue q = MessageQueues.open(member, "/perm", OpenOptions.existing().readOnly());
    assertEquals(1, q.receive().message().length);
    assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(member, "/perm", OpenOptions.existing().writeOnly())));
    assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(member, "/perm", OpenOptions.existing())));
    // A read-only handle cannot send, whatever the bits say.
    assertEquals(MqError.EBADF, errorOf(() -> q.send(new byte[1], 0)));
  }

  @Test
  void supplementaryGroupsCount() {
    RpcClient member = fixture.client(1002, 200, 7, 100);
    MessageQueues.open(member, "/perm", OpenOptions.existing().readOnly()).close();
  }

  @Test
  void othersAnonymousCallersAndRootGetOnlyTheOtherBits() {
    for (RpcClient c : new RpcClient[] {
        fixture.client(2000, 200), fixture.client(Credentials.NONE), fixture.client(0, 0)}) {
      assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(c, "/perm", OpenOptions.existing().readOnly())));
      assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.stats(c, "/perm")));
    }
    MessageQueues.open(owner, "/public", OpenOptions.create(0604, QueueAttributes.of(1, 1))).close();
    MessageQueues.open(fixture.client(Credentials.NONE), "/public", OpenOptions.existing().readOnly()).close();
  }

  @Test
  void onlyTheOwnerMayUnlink() {
    RpcClient member = fixture.client(1001, 100);
    assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.unlink(member, "/perm")));
    MessageQueues.unlink(owner, "/perm");
  }

  @Test
  void theCreatorMayUseWhatItCreatedWhateverTheMode() {
    MessageQueue q = MessageQueues.open(owner, "/locked", OpenOptions.create(0, QueueAttributes.of(1, 1)));
    q.send(new byte[1], 0);
    assertEquals(1, q.receive().message().length);
    assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(owner, "/locked", OpenOptions.existing())));
  }
}
