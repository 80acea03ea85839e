package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A caller-runs UDP socket is read by one background thread that every such socket of the
 * process shares, or by a leader with a deadline: a server that sends datagrams as fast as they
 * are read (here, deterministically: each one read makes it send the next) must not hold either
 * on its socket. A turn reads at most {@link DatagramReader#MAX_DATAGRAMS_PER_TURN}; the rest is
 * read at the next turn. Before, a turn read until the socket was empty, which such a server
 * never lets it be: every other caller-runs UDP client's replies in the process waited, and a
 * leader read on past its call's deadline.
 */
class DatagramTurnsTest {
  private static final Procedure<Void, Integer> PROC = new Procedure<>(1, 1, 1, "P",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);
  /** How many datagrams the server sends before it stops: far more than a turn. */
  private static final int FLOOD = 10_000;

  private DatagramChannel server;
  private DatagramChannel client;
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger read = new AtomicInteger();

  /** Owns on the reading thread; each datagram it is given makes the server send another. */
  private final CallOwner owner = TestCallOwner.running().onEnter(() -> {
    read.incrementAndGet();
    sendOne(); // before this one is dispatched: the socket is never empty
  });


  private final ClientCounters counters = new ClientCounters();
  private final OutstandingCalls calls = new OutstandingCalls(counters, 16);
  private final ConnectionSetup setup = new ConnectionSetup(Transport.UDP, "peer", owner,
      null, calls, OpaqueAuth.NONE, 1, 2, 1 << 16, 1 << 20, connection -> {});

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

  /** A reply to an xid nobody waits for: late, dropped. */
  private void sendOne() {
    if (sent.get() >= FLOOD) {
      return;
    }
    try {
      ByteBuffer reply = ByteBuffer.allocate(24).putInt(0x7777_0000 + sent.getAndIncrement())
          .putInt(1).putInt(0).putInt(0).putInt(0).putInt(0);
      server.send(reply.flip(), client.getLocalAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theBackgroundReadersTurnEndsThoughTheSocketNeverEmpties() throws Exception {
    try (DatagramReader reader = new DatagramReader(setup, client, 65_507, 1 << 20, 0)) {
      sendOne();
      reader.readAvailable();
      assertEquals(DatagramReader.MAX_DATAGRAMS_PER_TURN, read.get(), "datagrams read in one turn");
      reader.readAvailable();
      assertEquals(2 * DatagramReader.MAX_DATAGRAMS_PER_TURN, read.get(), "the rest at the next turn");
      assertEquals(read.get(), counters.lateReplies.sum());
      reader.freeBuffers();
    }
  }

  @Test
  void aLeadersTurnEndsThoughTheSocketNeverEmpties() throws Exception {
    TableCallSteps steps = new TableCallSteps(owner, calls);
    PendingCall<Void, Integer> call = new PendingCall<>(steps, 7, PROC, null, CallSemantics.MAYBE,
        0, 1_000_000, 1_000_000, true, null);
    calls.add(call, true);
    try (DatagramReader reader = new DatagramReader(setup, client, 65_507, 1 << 20, 0)) {
      sendOne();
      reader.readOnce(1_000_000_000L, call);
      assertEquals(DatagramReader.MAX_DATAGRAMS_PER_TURN, read.get(), "datagrams read in one turn");
      assertTrue(!call.isDone(), "its reply never came");
      reader.freeBuffers();
    }
  }
}
