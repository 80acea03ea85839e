package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * Which connection makes room at the maximum: a peer trickling a record slower than the minimum
 * rate goes before a well-behaved client's pooled connection that is idle between its calls,
 * though the trickler sent a byte more recently.
 */
class EvictionOrderTest {
  private static final int MAX_CONNECTIONS = 2;
  /** The attacker's pace: long enough for its record to be behind the minimum rate. */
  private static final long TRICKLE_PAUSE_MILLIS = 2 * RecordClock.BEHIND_GRACE_NANOS / 1_000_000;
  private RpcServer server;
  private final List<RawTcpPeer> peers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConnections(MAX_CONNECTIONS).addService(new TestService().definition()).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    for (RawTcpPeer p : peers) {
      p.close();
    }
    server.close();
  }

  private RawTcpPeer peer(String host) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), LoopbackHosts.host(host));
    peers.add(peer);
    return peer;
  }

  private static void callNull(RawTcpPeer peer, int xid) throws Exception {
    peer.sendRecord(RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
    ReplyHeader reply = peer.readReply();
    assertEquals(xid, reply.xid());
    assertEquals(RpcStatus.SUCCESS, reply.status());
  }

  @Test
  void aTricklerGoesBeforeAPooledConnectionIdleBetweenCalls() throws Exception {
    RawTcpPeer pooled = peer("127.0.0.1");
    callNull(pooled, 1); // then idle, as a pooled client's connection is between its calls

    RawTcpPeer trickler = peer("127.0.0.2");
    trickler.writeInt(0x8000_0000 | 1000);
    trickler.sendRaw(new byte[] {0});
    Await.until(() -> server.bufferedBytes() == 5);
    Thread.sleep(TRICKLE_PAUSE_MILLIS); // the attacker's pace, not a wait for the server
    trickler.sendRaw(new byte[] {0}); // read more recently than the pooled connection
    Await.until(() -> server.bufferedBytes() == 6);

    RawTcpPeer newcomer = peer("127.0.0.3");
    callNull(newcomer, 2);
    callNull(pooled, 3); // the pooled connection still serves (it was closed, before)
    assertTrue(trickler.closedByPeer(), "the trickler made room");
    assertEquals(1, server.stats().rejectedConnections());
  }

  @Test
  void ofTwoTricklersTheOneWhoseRecordBeganFirstGoesFirst() throws Exception {
    RawTcpPeer first = peer("127.0.0.2");
    first.writeInt(0x8000_0000 | 1000);
    Await.until(() -> server.bufferedBytes() == 4);
    RawTcpPeer second = peer("127.0.0.3");
    second.writeInt(0x8000_0000 | 1000);
    Await.until(() -> server.bufferedBytes() == 8);
    Thread.sleep(TRICKLE_PAUSE_MILLIS); // the attackers' pace
    second.sendRaw(new byte[] {0});
    Await.until(() -> server.bufferedBytes() == 9);
    first.sendRaw(new byte[] {0}); // the first is the more recently read
    Await.until(() -> server.bufferedBytes() == 10);

    RawTcpPeer newcomer = peer("127.0.0.4");
    callNull(newcomer, 1);
    assertTrue(first.closedByPeer(), "the older trickled record made room");
    assertEquals(1, server.stats().rejectedConnections());
  }
}
