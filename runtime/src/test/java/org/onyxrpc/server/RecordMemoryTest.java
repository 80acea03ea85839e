package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * What peers on raw sockets make the server hold in real memory (the direct memory its
 * allocator has taken), against what its byte budget charges them for the records they send:
 * the budget bounds only what it is told. Runs with the event loops and (runtime-variants'
 * dedicated-tcp) a thread per connection.
 */
@ExtendWith(LeakDetection.class)
class RecordMemoryTest {
  private static final int PEERS = 32;
  private static final int FRAGMENTS = 8;
  private static final int FRAGMENT = 4096; // not copied together as small fragments are
  private static final int PIECES = 15; // reads of a fragment: not so many they are copied together

  private RpcServer server;
  private RpcClient honest;
  private final TestService service = new TestService();

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().maxRecordBytes(1 << 20).addService(service.definition())
        .build().start();
    honest = RpcClient.builder().address("127.0.0.1", server.port()).build(); // TCP, as the peers
  }

  @AfterEach
  void stop() throws Exception {
    honest.close();
    server.close();
  }

  private static long directMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void fragmentsTrickledInPiecesHoldAboutWhatTheyAreCharged() throws Exception {
    // Each peer sends the fragments of a record it never ends, each in 15 pieces, a piece sent
    // once the server has read the last: each read lands in a buffer of its own (2 KiB at
    // least), and a fragment gathered over them was kept by a slice of that composite, so 4 KiB
    // charged held some 30 KiB. Honest calls go on meanwhile on a connection of their own.
    List<RawTcpPeer> peers = new ArrayList<>();
    long before = 0;
    long chargedBefore = 0;
    try {
      for (int i = 0; i < PEERS; i++) {
        peers.add(new RawTcpPeer(server.port()));
      }
      for (int f = 0; f < FRAGMENTS; f++) {
        byte[] fragment = new byte[4 + FRAGMENT];
        fragment[2] = FRAGMENT >> 8; // not the last: the record never ends
        int[] cuts = cuts(fragment.length);
        for (int p = 0; p < PIECES; p++) {
          for (RawTcpPeer peer : peers) {
            long charged = server.bufferedBytes();
            peer.sendRaw(Arrays.copyOfRange(fragment, cuts[p], cuts[p + 1]));
            Await.until(() -> server.bufferedBytes() > charged); // read and charged
          }
        }
        if (f == 0) {
          // Measured from here: what a connection takes whatever it is sent (its read buffers;
          // a thread per connection's took some 126 KiB each) is not its records'.
          before = directMemory();
          chargedBefore = server.bufferedBytes();
        }
      }
      long charged = server.bufferedBytes();
      assertEquals(PEERS * (FRAGMENTS * (FRAGMENT + 4L) - 4), charged);
      long held = directMemory() - before;
      assertTrue(held <= 2 * (charged - chargedBefore) + (1 << 20), held
          + " bytes of direct memory taken for records charged " + (charged - chargedBefore));
      assertEquals(5, honest.call(TestService.ADD, new TestService.Pair(2, 3)));
    } finally {
      for (RawTcpPeer peer : peers) {
        peer.close();
      }
    }
    Await.until(() -> server.bufferedBytes() == 0);
  }

  /** Where a fragment of {@code length} bytes (its header too) is cut into {@link #PIECES}. */
  private static int[] cuts(int length) {
    int[] cuts = new int[PIECES + 1];
    cuts[1] = 5; // the header and a byte: the server has begun the fragment
    for (int p = 2; p < PIECES; p++) {
      cuts[p] = 5 + (length - 5) * (p - 1) / (PIECES - 1);
    }
    cuts[PIECES] = length;
    return cuts;
  }
}
