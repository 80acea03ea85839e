package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.BoundedClose;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;

/**
 * {@code close()} while 64 peers each asked for TLS (AUTH_TLS) and stopped within their
 * ClientHello, their handshakes half done and far from their timeout: it ends within its
 * shutdown timeout and a little more and leaves no server thread. No defect found.
 */
class TlsShutdownUnderHalfHandshakesTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();
  private static final int PEERS = 64;

  @Test
  void closeEndsWithHandshakesHalfDone() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    RpcServer server = RpcServer.builder().port(0).transports(Transport.TCP)
        .addService(RpcTlsTest.whoAmI(new AtomicInteger())).shutdownTimeout(timeout)
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE), TlsMode.REQUIRE)
        .build().start();
    List<RawTcpPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < PEERS; i++) {
        RawTcpPeer peer = new RawTcpPeer(server.port());
        peers.add(peer);
        ByteBuffer probe = ByteBuffer.allocate(40);
        probe.putInt(i + 1).putInt(0).putInt(2).putInt(RpcTlsTest.PROGRAM).putInt(1)
            .putInt(0).putInt(7).putInt(0).putInt(0).putInt(0); // NULL with AUTH_TLS
        peer.sendRecord(probe.array());
        ReplyHeader reply = peer.readReply();
        assertEquals(RpcStatus.SUCCESS, reply.status());
        peer.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00}); // half a ClientHello
      }
      BoundedClose.closeWithin(server, timeout.plusSeconds(5));
      for (RawTcpPeer peer : peers) {
        peer.timeout(5_000);
        assertTrue(peer.closedByPeerAfter(64), "a half-done handshake's connection is closed");
      }
    } finally {
      server.close();
      for (RawTcpPeer peer : peers) {
        try {
          peer.close();
        } catch (IOException e) {
          // closed
        }
      }
    }
  }
}
