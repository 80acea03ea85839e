package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Over UDP anyone can send the client a datagram. One that is not a reply to one of its calls
 * from the server it called must cost it nothing: each comes before the server's true reply, and
 * the call still completes with that reply, in both I/O strategies. One that carries the call's
 * xid is taken as its reply, as libtirpc takes it.
 */
class HostileDatagramRepliesTest {
  private DatagramSocket server;
  private DatagramSocket stranger;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (stranger != null) {
      stranger.close();
    }
  }

  /** What goes to the client, before the true reply, for the call with {@code xid}. */
  private interface Garbage {
    void send(int xid, SocketAddress client) throws IOException;
  }

  /** Answers pings, and each other call with {@code garbage} then the true sum. */
  private void serve(Garbage garbage) throws IOException {
    server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[65_536];
      try {
        while (true) {
          DatagramPacket call = new DatagramPacket(buffer, buffer.length);
          server.receive(call);
          ByteBuffer in = ByteBuffer.wrap(call.getData(), 0, call.getLength());
          int xid = in.getInt(0);
          int procedure = in.getInt(20);
          if (procedure != 0) {
            garbage.send(xid, call.getSocketAddress());
          }
          send(server, call.getSocketAddress(), reply(xid, procedure == 0 ? new int[0] : new int[] {5}));
        }
      } catch (IOException e) {
        // closed: the test is over
      }
    }, "hostile-datagrams");
    t.setDaemon(true);
    t.start();
  }

  private static byte[] reply(int xid, int... result) {
    ByteBuffer out = ByteBuffer.allocate(24 + 4 * result.length);
    out.putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0);
    for (int word : result) {
      out.putInt(word);
    }
    return out.array();
  }

  private static void send(DatagramSocket from, SocketAddress to, byte[] bytes) throws IOException {
    from.send(new DatagramPacket(bytes, bytes.length, to));
  }

  private int callWith(IoStrategy io) {
    return callWith(io, 65_507);
  }

  private int callWith(IoStrategy io, int maxDatagramBytes) {
    // Sent once: a call answered only because it was sent again would hide a dropped reply.
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.getLocalPort())
        .transport(Transport.UDP).ioStrategy(io).timeout(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(20)).maxDatagramBytes(maxDatagramBytes).build()) {
      return client.call(TestService.ADD, new TestService.Pair(2, 3),
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE));
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void datagramsTooShortForAnXidAreDropped(IoStrategy io) throws Exception {
    serve((xid, client) -> {
      send(server, client, new byte[0]);
      send(server, client, new byte[] {1, 2, 3});
    });
    assertEquals(5, callWith(io));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void datagramsForOtherXidsAreDroppedWhateverTheyHold(IoStrategy io) throws Exception {
    serve((xid, client) -> {
      send(server, client, reply(xid + 1, 666));
      send(server, client, ByteBuffer.allocate(8).putInt(xid + 2).putInt(1).array());
      byte[] largest = new byte[65_507];
      ByteBuffer.wrap(largest).putInt(xid + 3);
      send(server, client, largest);
    });
    assertEquals(5, callWith(io));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyFromAnotherPortIsNotTheServers(IoStrategy io) throws Exception {
    stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    serve((xid, client) -> send(stranger, client, reply(xid, 666)));
    assertEquals(5, callWith(io));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyFromAnotherAddressIsNotTheServers(IoStrategy io) throws Exception {
    stranger = new DatagramSocket(0, org.onyxrpc.testing.LoopbackHosts.host("127.0.0.2"));
    serve((xid, client) -> send(stranger, client, reply(xid, 666)));
    assertEquals(5, callWith(io));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplySentTwiceAnswersItsCallOnceAndTheNextCallItsOwn(IoStrategy io) throws Exception {
    serve((xid, client) -> {
      for (int i = 0; i < 3; i++) {
        send(server, client, reply(xid, 5)); // and the true reply after them
      }
    });
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.getLocalPort())
        .transport(Transport.UDP).ioStrategy(io).timeout(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(20)).build()) {
      for (int i = 0; i < 4; i++) {
        assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3),
            CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aVersionRangeUpsideDownIsAMismatchAsSent(IoStrategy io) throws Exception {
    serve((xid, client) -> send(server, client, ByteBuffer.allocate(32)
        .putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(2).putInt(-1).putInt(0).array()));
    RpcException e = assertThrows(RpcException.class, () -> callWith(io));
    assertEquals(RpcStatus.PROG_MISMATCH, e.status(), e.getMessage());
    assertEquals(-1, e.low());
    assertEquals(0, e.high());
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aMalformedReplyWithTheCallersXidFailsTheCallAsLibtirpcDoes(IoStrategy io) throws Exception {
    // libtirpc's clnt_dg_call takes the first datagram with its xid as the reply and fails the
    // call with RPC_CANTDECODERES when it does not decode; so does Onyx, with INTERNAL (the call
    // was sent: it may have run).
    serve((xid, client) -> send(server, client, ByteBuffer.allocate(8).putInt(xid).putInt(1).array()));
    RpcException e = assertThrows(RpcException.class, () -> callWith(io));
    assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyLongerThanTheClientTakesIsSaidToBe(IoStrategy io) throws Exception {
    // The kernel cuts it to the receive buffer without a word: before, the cut reply failed to
    // decode (here: bytes after the result) with a message that blamed the IDL.
    serve((xid, client) -> send(server, client,
        ByteBuffer.allocate(2_000).put(reply(xid, 5)).array()));
    RpcException e = assertThrows(RpcException.class, () -> callWith(io, 1_024));
    assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
    assertTrue(e.getMessage().endsWith("of at least 1025 bytes exceeds the maximum of 1024 this"
        + " client takes (RpcClientBuilder.maxDatagramBytes)"), e.getMessage());
  }
}
