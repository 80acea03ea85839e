package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * A peer that pipelines calls and resets its connection at once, from a raw socket: the calls it
 * left queued (every runner busy) are dropped unstarted and counted, not run for nobody; the ones
 * that had started run to completion and their replies stay in the duplicate request cache; the
 * dropped at-most-once calls run when their client sends them again; and another connection's
 * queued calls are untouched.
 */
class QueuedCallsOfAResetPeerTest {
  private static final InetAddress OTHER_HOST = LoopbackHosts.host("127.0.0.2");
  private static final long CLIENT_HIGH = 0x1234;
  private static final long CLIENT_LOW = 0x5678;
  private final TestService service = new TestService();
  private final int threads = ServerDefaults.defaultThreads();
  private final int laneShare = threads / 2;
  private RpcServer server;
  private final List<RawTcpPeer> peers = new ArrayList<>();


  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxConcurrentCallsPerConnection(4 * threads).addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    for (RawTcpPeer p : peers) {
      p.close();
    }
    server.close();
  }

  private RawTcpPeer peer(InetAddress from) throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), from);
    peers.add(peer);
    return peer;
  }

  /** An at-most-once HOLD call tagged as an Onyx client's, which the cache can recognise. */
  private static byte[] hold(int xid, int attempt) {
    CallTag tag = new CallTag(CLIENT_HIGH, CLIENT_LOW, true, attempt, 0);
    return RawTcpPeer.call(xid, TestService.PROGRAM, 1, TestService.HOLD.number(), tag.toVerifier(),
        ByteBuffer.allocate(4).putInt(xid).array());
  }

  private static byte[] untaggedHold(int xid) {
    return TestService.rawHold(xid, xid);
  }

  @Test
  void callsQueuedByAPeerThatResetsAreDroppedAndTheStartedOnesStayAtMostOnce() throws Exception {
    int queued = 10;
    RawTcpPeer resetting = peer(null);
    for (int xid = 1; xid <= laneShare; xid++) {
      resetting.sendRecord(hold(xid, 1));
    }
    RawTcpPeer other = peer(OTHER_HOST);
    for (int xid = 1; xid <= laneShare + 2; xid++) {
      other.sendRecord(untaggedHold(xid));
    }
    Await.until(() -> service.holding.get() == 2 * laneShare); // every runner held
    for (int xid = 101; xid < 101 + queued; xid++) {
      resetting.sendRecord(hold(xid, 1));
    }
    Await.until(() -> server.queuedCalls() == queued + 2);
    resetting.reset();

    Await.until(() -> server.stats().droppedQueuedCalls() == queued);
    assertEquals(2, server.queuedCalls(), "the other connection's calls still wait");
    assertEquals(2 * laneShare, service.holding.get());

    // The client comes back on a new connection and sends one of them again: it never ran, so
    // it runs now (once a runner is free), rather than being taken for one still in progress.
    RawTcpPeer back = peer(null);
    back.sendRecord(hold(101, 1));
    Await.until(() -> server.queuedCalls() == 3);
    // The cache knows nine calls, all still running: it has no reply to replay yet.
    assertEquals(0, server.stats().cachedReplies(), "calls still running hold no reply");
    service.gate.countDown();
    ReplyHeader reply = back.readReply();
    assertEquals(101, reply.xid());
    assertEquals(RpcStatus.SUCCESS, reply.status());
    for (int i = 0; i < laneShare + 2; i++) {
      assertEquals(RpcStatus.SUCCESS, other.readReply().status());
    }
    // The calls that had started ran to completion, for nobody, and their replies were saved:
    // waited for, as their runners may get a processor back only after the replies above.
    Await.until(() -> server.stats().cachedReplies() == laneShare + 1);
    back.sendRecord(hold(1, 2));
    byte[] replayed = back.readRecord();
    assertEquals(1, ByteBuffer.wrap(replayed).getInt());
    assertEquals(1, ByteBuffer.wrap(replayed, replayed.length - 4, 4).getInt());
    assertEquals(2 * laneShare + 2 + 1, service.holding.get(), "each call ran at most once");
    assertEquals(queued, server.stats().droppedQueuedCalls());
    assertEquals(1, server.stats().duplicatesReplayed());
    assertEquals(0, server.stats().duplicatesInProgressDropped());
  }
}
