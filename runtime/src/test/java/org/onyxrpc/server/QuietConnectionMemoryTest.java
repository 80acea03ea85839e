package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * What connections left quiet after a large reply hold in real memory (the direct memory the
 * server's allocator has taken), beyond what the byte budget charges: a peer may open many and
 * leave them so for good (there is no idle timeout by default). Runs with the event loops and
 * (runtime-variants' dedicated-tcp) a thread per connection, whose replies made on the thread
 * (under a direct executor) are written from a spare buffer it keeps.
 */
@ExtendWith(LeakDetection.class)
class QuietConnectionMemoryTest {
  private static final int PEERS = 16;
  // Echoed, its reply grows a buffer to 4 MiB: past the allocator's pooled sizes (1 MiB), so
  // freeing it shows in its metric at once, as a pooled buffer's chunk may not.
  private static final int STRING_BYTES = 3 << 20;

  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    // A record timeout of 2 s makes the check that lets a quiet connection's kept read buffer go
    // run every 500 ms (a quarter of it), not every 7.5 s.
    server = RpcServer.builder().directExecutor().recordTimeout(Duration.ofSeconds(2))
        .addService(new TestService().definition()).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static long directMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void connectionsQuietAfterALargeReplyKeepNoRoomForIt() throws Exception {
    // Each peer has a 3 MiB string echoed, reads the reply, and goes quiet. The dedicated thread
    // made the reply in its spare buffer, grown to 4 MiB, and kept it until the connection's next
    // call, which a quiet peer never sends: 16 connections held 64 MiB charged to nothing.
    byte[] string = new byte[4 + STRING_BYTES];
    string[1] = (byte) (STRING_BYTES >> 16);
    Arrays.fill(string, 4, string.length, (byte) 'a');
    byte[] call = RawTcpPeer.call(1, 2, TestService.PROGRAM, 1, TestService.ECHO.number(),
        OpaqueAuth.NONE, string);
    List<RawTcpPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < PEERS; i++) {
        peers.add(new RawTcpPeer(server.port()));
      }
      for (RawTcpPeer peer : peers) {
        peer.sendRecord(call);
      }
      for (RawTcpPeer peer : peers) {
        assertTrue(peer.readRecord().length > STRING_BYTES);
      }
      // Every call done, and the read buffers kept for the next large record let go once the
      // connections are quiet: what they hold now is charged to nothing.
      Await.until(() -> server.callsInFlight() == 0 && server.bufferedBytes() == 0);
      long quiet = directMemory();
      for (RawTcpPeer peer : peers) {
        peer.close();
      }
      peers.clear();
      Await.until(() -> server.connections() == 0);
      long held = quiet - directMemory(); // what closing them gave back
      // A thread per connection keeps a read buffer of 16 KiB and a small spare reply buffer;
      // 1 MiB per connection allows for a chunk of the pool freed with them.
      assertTrue(held <= PEERS * (1L << 20), held + " bytes of direct memory held by "
          + PEERS + " quiet connections");
      assertEquals(0, server.bufferedBytes());
    } finally {
      for (RawTcpPeer peer : peers) {
        peer.close();
      }
    }
  }
}
