package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * Connections that come and go by the thousand, from eight addresses: closed at once, or reset
 * half-way through a call's record. Afterwards every per-client table is as before (the
 * connection limit's addresses, the byte budget's shares, the fair scheduler's lanes), no
 * bytes are held and no descriptor is left open. Bounded by what each cycle leaves: nothing,
 * so 2 × 1,000 cycles show it as well as 20,000 would, in a few seconds.
 */
@ExtendWith(LeakDetection.class)
class ConnectionChurnTest {
  private static final int CYCLES = 1_000;
  private static final InetAddress[] FROM = Stream.of(2, 3, 4, 5, 6, 7, 8, 9)
      .map(i -> LoopbackHosts.host("127.0.0." + i)).toArray(InetAddress[]::new);

  private static byte[] add(int xid) {
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
        ByteBuffer.allocate(8).putInt(40).putInt(2).array());
  }

  @Test
  void connectionsClosedOrResetMidCallLeaveNothingBehind() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .addService(new TestService().definition()).build().start()) {
      // One whole call first, so that what a served connection opens once is open already.
      try (RawTcpPeer warm = new RawTcpPeer(server.port(), FROM[0])) {
        warm.sendRecord(add(1));
        assertEquals(42, ByteBuffer.wrap(warm.readRecord()).getInt(24));
      }
      Await.until(() -> server.connections() == 0);
      long baseline = OpenDescriptors.count();

      byte[] call = add(2);
      for (int i = 0; i < CYCLES; i++) {
        new RawTcpPeer(server.port(), FROM[i % FROM.length]).close();
        RawTcpPeer half = new RawTcpPeer(server.port(), FROM[(i + 3) % FROM.length]);
        half.writeInt(0x8000_0000 | call.length);
        half.sendRaw(Arrays.copyOf(call, call.length / 2));
        half.reset();
      }

      Await.until(() -> server.connections() == 0);
      Await.until(() -> Arrays.equals(new int[3], server.perClientEntries()));
      assertArrayEquals(new int[3], server.perClientEntries(), "limiter addresses, budget shares, scheduler lanes");
      assertEquals(0, server.bufferedBytes());
      assertEquals(0, server.decodedBytesInFlight());
      assertEquals(0, server.callsInFlight());
      assertEquals(0, server.decodedShares().size());
      Await.until(() -> OpenDescriptors.count() <= baseline);

      // And the server still serves.
      try (RawTcpPeer after = new RawTcpPeer(server.port(), FROM[1])) {
        after.sendRecord(add(3));
        assertEquals(42, ByteBuffer.wrap(after.readRecord()).getInt(24));
      }
    }
  }
}
