package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/** How a reply finds its call, or is counted late. */
class ReplyReaderTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);

  private final TestCallOwner owner = TestCallOwner.deferring();
  private final ClientCounters counters = new ClientCounters();
  private final OutstandingCalls calls = new OutstandingCalls(counters, 16);
  private final CallSteps steps = new TableCallSteps(owner, calls);
  private final ConnectionSetup setup = new ConnectionSetup(Transport.TCP, "peer", owner,
      null, calls, OpaqueAuth.NONE, 1, 2, 1 << 20, 1 << 20, connection -> {});

  private static ByteBuf reply(int xid, int result) {
    ByteBuf message = Unpooled.buffer();
    XdrWriter out = new XdrWriter(message);
    RpcMessages.writeSuccessHeader(out, xid);
    out.writeInt(result);
    return message;
  }

  @Test
  void aReplyFindsItsCall() throws Exception {
    PendingCall<Void, Integer> call = new PendingCall<>(steps, 7, PROC, null, CallSemantics.MAYBE,
        0, 1_000_000, 1_000_000, true, null);
    calls.add(call, true);
    ReplyReader.dispatch(setup, reply(7, 42));
    assertEquals(42, call.get());
    assertEquals(0, counters.lateReplies.sum());
  }

  @Test
  void theReplyToACallCancelledButNotYetForgottenIsLate() {
    PendingCall<Void, Integer> call = new PendingCall<>(steps, 9, PROC, null, CallSemantics.MAYBE,
        0, 1_000_000, 1_000_000, true, null);
    calls.add(call, true);
    assertTrue(call.cancel(true)); // its forgetting now waits for the owner
    assertEquals(1, owner.tasks().size());

    ReplyReader.dispatch(setup, reply(9, 42)); // the owner reads the reply first
    assertEquals(1, counters.lateReplies.sum());
    assertTrue(call.isCancelled());

    owner.tasks().forEach(Runnable::run);
    assertEquals(0, calls.size());
  }
}
