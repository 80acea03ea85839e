package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.server.ServerTls;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;

/**
 * A TLS 1.3 client that sends KeyUpdate with update_requested in a loop (the JDK's
 * {@code SSLSocket.startHandshake()} after the handshake does) and reads nothing. Each makes the
 * server's engine write a KeyUpdate of its own; Netty's SslHandler read on for more however the
 * connection had stopped reading, so the server queued them without bound (36 MB in 30 s). Now
 * the server stops reading such a connection once its writes pile up past the channel's
 * high-water mark ({@code TlsReadHold}), and what it holds stays bounded; other clients are
 * served on. (A client that reads the replies may send KeyUpdates as fast as it sends any small
 * record: each costs the server a key derivation, no more than decrypting a record; the JDK's
 * engine has no cap on them, and neither has Onyx.)
 */
@ExtendWith(LeakDetection.class)
class TlsKeyUpdateFloodTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  /**
   * Above what one read of a full socket buffer answers (about 3 MB here, after which nothing
   * more is read); without the hold the flood queued past it within about 20 s, 36 MB in 30 s.
   */
  private static final long BOUND = 16 << 20;

  /**
   * The hold begins only once the server's socket send buffer is full and one more read's
   * answers (about 1 MB) are queued: 150,000 to 200,000 KeyUpdates, each a key derivation on
   * both sides in this one JVM. That took 22 to 30 s alone at a load of 13 to 17 on the shared
   * 2-core machine and 43 to 52 s in surefire's runs beside other builds (round 37), near
   * {@link Await}'s one minute, past which the test fails ("not true within PT1M") however right
   * the server. The bound only keeps a broken build from hanging.
   */
  private static final Duration FLOOD_GIVE_UP = Duration.ofMinutes(3);

  @Test
  void aKeyUpdateFloodThatReadsNothingIsNotQueuedWithoutBound() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE), TlsMode.REQUIRE, true))
        .build().start();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.setReceiveBufferSize(4096);
      SSLSocket tls = RawStartTls.upgrade(raw, s.port(), certs.ca(), 42);
      tls.setEnabledProtocols(new String[] {"TLSv1.3"});
      tls.startHandshake();
      assertEquals("TLSv1.3", tls.getSession().getProtocol());
      Thread flood = new Thread(() -> {
        try {
          while (true) {
            tls.startHandshake(); // a KeyUpdate, update_requested
          }
        } catch (IOException e) {
          // the socket closed at the test's end
        }
      }, "key-update-flood");
      flood.setDaemon(true);
      flood.start();

      Await.until(() -> ServerInternals.tlsReadsHeld(s) || ServerInternals.pendingWriteBytes(s) > BOUND,
          FLOOD_GIVE_UP);
      long pending = ServerInternals.pendingWriteBytes(s);
      assertTrue(pending <= BOUND, pending + " bytes queued for a peer that reads nothing");

      try (RpcClient c = RpcClient.builder().address("localhost", s.port())
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1)).build()) {
        assertEquals("tls none", c.call(RpcTlsTest.WHO_AM_I, null), "other clients are served on");
      }
      raw.close();
      flood.join();
    }
  }
}
