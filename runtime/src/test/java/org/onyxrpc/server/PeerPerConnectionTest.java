package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A connection's calls are shown to the authenticator as one {@link Peer}, made for its first
 * call, not one per call; another connection has its own. With -Dorg.onyxrpc.test.transport
 * (UNIX, IN_PROCESS) and -Dorg.onyxrpc.server.tcpIo=DEDICATED_THREAD it covers the other
 * connections.
 */
class PeerPerConnectionTest {
  private static final Procedure<Integer, Integer> ECHO =
      new Procedure<>(0x20000135, 1, 1, "Peers.echo", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void oneConnectionsCallsAreShownOnePeer() throws Exception {
    List<Peer> peers = new CopyOnWriteArrayList<>();
    Authenticator recording = new Authenticator() {
      @Override
      public Credentials authenticate(CallHeader call) {
        return Authenticator.DEFAULT.authenticate(call);
      }

      @Override
      public Credentials authenticate(CallHeader call, Peer peer) {
        if (call.procedure() == ECHO.number()) { // not the client's NULL pings
          peers.add(peer);
        }
        return authenticate(call);
      }
    };
    ServiceDefinition service =
        ServiceDefinition.builder(0x20000135, 1).procedure(ECHO, (n, ctx) -> n).build();
    try (RpcServer server = TestTransport.server().port(0).addService(service)
            .authenticator(recording).build().start();
        RpcClient first = TestTransport.client(server).build();
        RpcClient second = TestTransport.client(server).build()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(i, first.call(ECHO, i));
      }
      assertEquals(7, second.call(ECHO, 7));
      assertEquals(4, peers.size());
      assertSame(peers.get(0), peers.get(1));
      assertSame(peers.get(0), peers.get(2));
      assertNotSame(peers.get(0), peers.get(3));
      assertEquals(TestTransport.CURRENT, peers.get(3).transport());
    }
  }
}
