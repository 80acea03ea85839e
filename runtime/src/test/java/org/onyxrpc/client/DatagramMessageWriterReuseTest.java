package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A caller-runs UDP client keeps its kept message buffer's writer with the buffer: a call message
 * sent from it allocates nothing. Before, an {@code XdrWriter} (24 bytes) was made for every
 * message.
 */
class DatagramMessageWriterReuseTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);
  private static final long SECOND = 1_000_000_000L;
  private static final int SENDS = 1000;

  private final CallOwner owner = TestCallOwner.running();
  private final OutstandingCalls calls = new OutstandingCalls(new ClientCounters(), 16);
  private final ConnectionSetup setup = new ConnectionSetup(Transport.UDP, "peer", owner,
      null, calls, OpaqueAuth.NONE, 1, 2, 1 << 16, 1 << 20, connection -> {});

  @Test
  void aCallMessageSentFromTheKeptBufferAllocatesNothing() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    BackgroundReader background = DatagramCallerRunsConnection.BACKGROUND_READER.acquire();
    try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      Connection connection = DatagramCallerRunsConnection.connect(setup, background,
          (InetSocketAddress) server.getLocalAddress(), 65_507, 0).get(10, TimeUnit.SECONDS);
      try {
        // Made beforehand: a call's own objects are not the message's. Allocations.of runs twice.
        PendingCall<?, ?>[] made = new PendingCall<?, ?>[2 * SENDS + 1];
        for (int i = 0; i < made.length; i++) {
          made[i] = new PendingCall<>(new TableCallSteps(owner, calls), i + 1, PROC, null,
              CallSemantics.MAYBE, 0, SECOND, SECOND, true, Thread.currentThread());
        }
        assertTrue(connection.transmit(made[0])); // the kept buffer is made by the first message
        int[] next = {1};
        long allocated = Allocations.of(() -> {
          for (int i = 0; i < SENDS; i++) {
            connection.transmit(made[next[0]++]);
          }
        });
        assertTrue(allocated < SENDS * 8L, SENDS + " messages allocated " + allocated + " bytes");
        ByteBuffer first = ByteBuffer.allocate(256);
        server.receive(first); // blocking: the first datagram sent is queued
        assertEquals(1, first.getInt(0), "the first call's xid");
      } finally {
        connection.close();
      }
    } finally {
      DatagramCallerRunsConnection.BACKGROUND_READER.release(background);
    }
  }
}
