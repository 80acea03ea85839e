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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * What connections hold in real memory (the direct memory the server's allocator has taken),
 * beyond what the byte budget charges, when left quiet after a large reply and as they grow in
 * number: a peer may open many and leave them so for good (there is no idle timeout by default). Runs with the event loops and
 * (runtime-variants' dedicated-tcp) a thread per connection, whose replies made on the thread
 * (under a direct executor) are written from a spare buffer it keeps.
 */
@ExtendWith(LeakDetection.class)
class QuietConnectionMemoryTest {
  private static final int PEERS = 16;
  // Echoed, its reply grows a buffer to 4 MiB: past the allocator's pooled sizes (1 MiB), so
  // freeing it shows in its metric at once, as a pooled buffer's chunk may not.
  private static final int STRING_BYTES = 3 << 20;
  private static final int FIRST_PEERS = 32;
  private static final int MORE_PEERS = 224;
  private static final int FRAGMENT_BYTES = 4096;

  private RpcServer server;

  private void start(RpcServerBuilder builder) throws Exception {
    server = builder.addService(new TestService().definition()).build().start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long directMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void connectionsQuietAfterALargeReplyKeepNoRoomForIt() throws Exception {
    // A record timeout of 2 s makes the check that lets a quiet connection's kept read buffer go
    // run every 500 ms (a quarter of it), not every 7.5 s.
    start(RpcServer.builder().directExecutor().recordTimeout(Duration.ofSeconds(2)));
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

  @Test
  void manyConnectionsHoldLittleEach() throws Exception {
    // Each peer sends a fragment of 4 KiB of a record it never ends. The allocator takes its
    // memory in chunks, which later buffers fill: with a thread per connection the first 32 took
    // 138,752 bytes each in one run (round 37 read 126 KiB in RecordMemoryTest), all 256 21,952
    // each; on the event loops 49,152 and 8,192. A thread per connection holds its read buffer
    // (16 KiB, charged to nothing) and the fragment (charged), an event-loop connection the
    // fragment alone. Chunks the allocator kept from earlier tests may take in some of theirs:
    // the bound is an upper one.
    start(RpcServer.builder().recordTimeout(Duration.ofMinutes(2))); // never ended: not timed out
    List<RawTcpPeer> peers = new ArrayList<>();
    try {
      long before = directMemory();
      long first = connect(peers, FIRST_PEERS) - before;
      long all = connect(peers, MORE_PEERS) - before;
      long each = all / peers.size();
      assertTrue(each <= 64 << 10, each + " bytes of direct memory per connection over "
          + peers.size() + " (" + first / FIRST_PEERS + " over the first " + FIRST_PEERS + ")");
    } finally {
      for (RawTcpPeer peer : peers) {
        peer.close();
      }
    }
    Await.until(() -> server.bufferedBytes() == 0);
  }

  /** Opens {@code count} more peers, each sending its fragment; the direct memory once all are read. */
  private long connect(List<RawTcpPeer> peers, int count) throws Exception {
    byte[] fragment = new byte[4 + FRAGMENT_BYTES];
    fragment[2] = FRAGMENT_BYTES >> 8; // not the last: the record never ends
    for (int i = 0; i < count; i++) {
      RawTcpPeer peer = new RawTcpPeer(server.port());
      peers.add(peer);
      peer.sendRaw(fragment);
    }
    long charged = (long) peers.size() * FRAGMENT_BYTES;
    Await.until(() -> server.bufferedBytes() == charged);
    return directMemory();
  }
}
