package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestTransport;

/**
 * A call tag's metadata counts toward the call's decoded size and the server's budget for calls
 * in flight, as its arguments do: a call whose tag does not fit is answered SYSTEM_ERR, not run
 * and not dropped. Before, the tag was read outside both, and these calls ran.
 */
@ExtendWith(LeakDetection.class)
class TaggedCallsRoomTest {
  /** Room for any header and small arguments, not for a tag full of metadata (about 3 KB). */
  private static final long ROOM = 2048;
  private static final int PROGRAM = 0x20000201;

  private static OpaqueAuth fullTag() {
    CallMetadata full = new CallMetadata();
    for (int i = 0; i < CallMetadata.MAX_ENTRIES; i++) {
      full.put("k" + Integer.toHexString(i), "v".repeat(i));
    }
    return new CallTag(1, 2, false, 1, 0, full).toVerifier();
  }

  private static void assertTagTakesRoom(RpcServerBuilder builder) throws Exception {
    try (RpcServer server = builder.addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(HostileDecodeTest.LIST, (n, ctx) -> n).build()).build().start();
        RawTcpPeer peer = TestTransport.raw(server)) {
      byte[] args = HostileDecodeTest.list(1);
      peer.sendRecord(RawTcpPeer.call(1, PROGRAM, 1, 4, fullTag(), args));
      assertEquals(ReplyHeader.accepted(1, RpcStatus.SYSTEM_ERR), peer.readReply());
      OpaqueAuth bare = new CallTag(1, 2, false, 1, 0).toVerifier();
      peer.sendRecord(RawTcpPeer.call(2, PROGRAM, 1, 4, bare, args));
      assertEquals(RpcStatus.SUCCESS, peer.readReply().status(), "the same call without metadata fits");
    }
  }

  @Test
  void aTagOverTheDecodedSizeAllowedIsAnsweredSystemErr() throws Exception {
    assertTagTakesRoom(TestTransport.server().maxDecodedBytes(ROOM));
  }

  @Test
  void aTagOverTheRoomLeftInTheBudgetIsAnsweredSystemErr() throws Exception {
    assertTagTakesRoom(TestTransport.server().maxDecodedBytesInFlight(ROOM));
  }
}
