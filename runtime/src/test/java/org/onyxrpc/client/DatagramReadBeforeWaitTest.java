package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A caller-runs UDP leader reads before it waits: a reply already queued when its turn begins
 * (the server answered while the call was being sent) is taken with one {@code recvfrom}, as the
 * JDK's datagram socket with a timeout takes it, not after an {@code epoll_wait} that returns at
 * once. Before, every turn waited in the reader's selector first: three system calls a call where
 * two do. Here the reader's selector is closed before the turn, so a turn that waits fails.
 */
class DatagramReadBeforeWaitTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);
  private static final long SECOND = 1_000_000_000L;

  private final CallOwner owner = TestCallOwner.running();

  private final ClientCounters counters = new ClientCounters();
  private final OutstandingCalls calls = new OutstandingCalls(counters, 16);
  private final ConnectionSetup setup = new ConnectionSetup(Transport.UDP, "peer", owner,
      null, calls, OpaqueAuth.NONE, 1, 2, 1 << 16, 1 << 20, connection -> {});
  private DatagramChannel server;
  private DatagramChannel client;

  @BeforeEach
  void sockets() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
    client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
    client.connect(server.getLocalAddress());
    client.configureBlocking(false);
  }

  @AfterEach
  void close() throws IOException {
    server.close();
    client.close();
  }

  @Test
  void aReplyAlreadyQueuedIsReadWithoutWaiting() throws Exception {
    PendingCall<Void, Integer> call = call(7);
    DatagramReader reader = new DatagramReader(setup, client, 65_507, 1 << 20, 0);
    try {
      reply(7);
      awaitQueued();
      reader.close(); // its selector: a turn that waits now throws ClosedSelectorException
      reader.readOnce(SECOND, call);
      assertTrue(call.isDone(), "the queued reply completed its call");
      assertEquals(42, call.get());
    } finally {
      reader.freeBuffers();
    }
  }

  @Test
  void aTurnThatFindsOnlyOthersRepliesReturnsForTheLeaderToLookAgain() throws Exception {
    PendingCall<Void, Integer> call = call(7);
    try (DatagramReader reader = new DatagramReader(setup, client, 65_507, 1 << 20, 0)) {
      reply(99);
      awaitQueued();
      reader.readOnce(SECOND, call); // reads the stray one; waits no more in this turn
      assertFalse(call.isDone());
      assertEquals(1, counters.lateReplies.sum());
      reply(7);
      reader.readOnce(SECOND, call); // nothing queued: waits for it in the selector
      assertEquals(42, call.get());
      reader.freeBuffers();
    }
  }

  private PendingCall<Void, Integer> call(int xid) {
    PendingCall<Void, Integer> call = new PendingCall<>(new TableCallSteps(owner, calls), xid,
        PROC, null, CallSemantics.MAYBE, 0, SECOND, SECOND, true, null);
    calls.add(call, true);
    return call;
  }

  /** An accepted, successful reply to {@code xid} (AUTH_NONE verifier), its result 42. */
  private void reply(int xid) throws IOException {
    ByteBuffer reply = ByteBuffer.allocate(28).putInt(xid).putInt(1).putInt(0).putInt(0)
        .putInt(0).putInt(0).putInt(42);
    server.send(reply.flip(), client.getLocalAddress());
  }

  /** Waits, on a selector of the test's own, until the client's socket holds a datagram. */
  private void awaitQueued() throws IOException {
    try (Selector probe = Selector.open()) {
      SelectionKey key = client.register(probe, SelectionKey.OP_READ);
      assertTrue(probe.select(10_000) > 0, "a datagram reached the client's socket");
      key.cancel();
      probe.selectNow(); // deregisters it before the selector closes
    }
  }
}
