package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;

/**
 * The directory takes TCP records as long as its longest call, an indirect call of 8 KiB of
 * arguments, and refuses a longer one from its record mark, with the rest unsent. Before, it took
 * the server's default of 16 MiB and waited for the rest.
 */
class DirectoryRecordLimitTest {
  /** Not registered: the directory answers that it has no such program, having read the call. */
  private static final int UNREGISTERED = 0x3fff0001;

  @Test
  void theLongestIndirectCallIsRead() throws Exception {
    int[] groups = new int[16];
    Arrays.fill(groups, 1000);
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcClient c = RpcClient.builder().address("127.0.0.1", fixture.port()).transport(Transport.TCP)
            .credentials(new AuthSys(0, "m".repeat(255), 1000, 1000, groups)) // the longest AUTH_SYS
            .timeout(Duration.ofSeconds(30)).build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(Rpcb.INDIRECT,
          new Rpcb.CallArgs(UNREGISTERED, 1, 1, new byte[Rpcb.MAX_CALL_BYTES])));
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e.getMessage());
    }
  }

  @Test
  void aLongerRecordIsRefusedFromItsRecordMark() throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture(); RawTcpPeer peer = new RawTcpPeer(fixture.port())) {
      // The record mark of a last fragment one byte longer than the directory takes, and the
      // call's header; the rest is never sent. The peer waits up to 5 s for the close.
      peer.writeInt(0x80000000 | (DirectoryServer.MAX_RECORD_BYTES + 1));
      peer.sendRaw(RawTcpPeer.call(1, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 0, OpaqueAuth.NONE, new byte[0]));
      assertTrue(peer.closedByPeer(), "the directory waits for the rest of the record");
    }
  }
}
