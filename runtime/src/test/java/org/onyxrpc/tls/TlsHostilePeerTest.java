package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;

/**
 * Peers that ask for TLS (RFC 9289's AUTH_TLS probe) and then misbehave, from raw sockets: the
 * handshake is given no longer than a record, garbage instead of a ClientHello closes the
 * connection, and stalled handshakes do not keep a real client out.
 */
class TlsHostilePeerTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private static RpcServerBuilder tlsServer() throws Exception {
    return RpcServer.builder().port(0).transports(Transport.TCP)
        .addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE), TlsMode.REQUIRE);
  }

  /** A raw peer whose AUTH_TLS probe was answered: what it sends next should be a ClientHello. */
  private static RawTcpPeer askedForTls(RpcServer s) throws Exception {
    return askedForTls(new RawTcpPeer(s.port()));
  }

  private static RawTcpPeer askedForTls(RawTcpPeer peer) throws Exception {
    ByteBuffer probe = ByteBuffer.allocate(40);
    probe.putInt(1).putInt(0).putInt(2).putInt(RpcTlsTest.PROGRAM).putInt(1)
        .putInt(0).putInt(7).putInt(0).putInt(0).putInt(0); // NULL with AUTH_TLS
    peer.sendRecord(probe.array());
    ReplyHeader reply = peer.readReply();
    assertEquals(RpcStatus.SUCCESS, reply.status());
    return peer;
  }

  @Test
  void aHandshakeThatNeverCompletesIsClosedWithinTheRecordTimeout() throws Exception {
    try (RpcServer s = tlsServer().recordTimeout(Duration.ofMillis(300)).build().start();
        RawTcpPeer silent = askedForTls(s);
        RawTcpPeer halfway = askedForTls(s)) {
      // A ClientHello's first bytes only: the handshake stops halfway.
      halfway.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00});
      silent.timeout(5_000); // Netty's own handshake timeout would be 10 s
      halfway.timeout(5_000);
      // Closing a handshake under way may first send the peer a TLS alert (7 bytes).
      assertTrue(silent.closedByPeerAfter(64), "a peer that asked for TLS and said nothing more");
      assertTrue(halfway.closedByPeerAfter(64), "a peer that stopped within its ClientHello");
    }
  }

  @Test
  void garbageInsteadOfAClientHelloClosesTheConnection() throws Exception {
    try (RpcServer s = tlsServer().build().start(); RawTcpPeer peer = askedForTls(s)) {
      byte[] garbage = new byte[4096];
      new Random(1).nextBytes(garbage);
      peer.sendRaw(garbage);
      assertTrue(peer.closedByPeer());
    }
  }

  /**
   * A connection whose AUTH_TLS probe was answered holds no call from the moment its client can
   * read the reply, so a newcomer at {@code maxConnections} takes its place even while the server
   * is still putting TLS in front of it (here held there). Before, the reply went out first and
   * the connection counted as busy until TLS was in place: on a loaded machine a newcomer found
   * every stalled handshake of its address in that state and was refused
   * ({@link #stalledHandshakesDoNotKeepARealClientOut} failed so).
   */
  @Test
  void aConnectionWhoseProbeWasAnsweredIsEvictableWhileTlsIsPutInPlace() throws Exception {
    CountDownLatch settingUp = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SslContext held = new DelegatingSslContext(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE)) {
      @Override
      protected void initEngine(SSLEngine engine) { // on the connection's event loop
        settingUp.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (RpcServer s = RpcServer.builder().port(0).transports(Transport.TCP).maxConnections(1)
        .addService(RpcTlsTest.whoAmI(new AtomicInteger())).tls(held, TlsMode.REQUIRE).build().start()) {
      try (RawTcpPeer first = askedForTls(s)) {
        assertTrue(settingUp.await(10, TimeUnit.SECONDS));
        try (RawTcpPeer newcomer = new RawTcpPeer(s.port())) {
          // Decided while the first connection is still held: evicted (its place taken) or refused.
          assertTrue(Await.within(() -> s.stats().rejectedConnections() == 1, Duration.ofSeconds(10)));
          release.countDown();
          assertTrue(first.closedByPeerAfter(64), "the first connection gave its place");
          askedForTls(newcomer);
        }
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void stalledHandshakesDoNotKeepARealClientOut() throws Exception {
    try (RpcServer s = tlsServer().maxConnections(4).build().start()) {
      List<RawTcpPeer> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) {
          stalled.add(askedForTls(s)); // each newcomer takes the place of a stalled one
        }
        try (RpcClient c = RpcClient.builder().address("localhost", s.port())
            .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
            .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1)).build()) {
          assertEquals("tls none", c.call(RpcTlsTest.WHO_AM_I, null));
        }
      } finally {
        for (RawTcpPeer p : stalled) {
          p.close();
        }
      }
    }
  }
}
