package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
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
 * A TLS 1.3 client that, after its handshake and a call, writes plaintext ChangeCipherSpec
 * records under its TLS session (RFC 8446 §5 lets them pass only before the peer's Finished;
 * middleboxes' junk, or an attacker's). The server's engine refuses the first one after the
 * handshake: the connection is closed, nothing the junk sent is held, and other clients are
 * served on. (A probe of round 30: this held before it was written.)
 */
@ExtendWith(LeakDetection.class)
class TlsPostHandshakeJunkTest {
  private static final byte[] CHANGE_CIPHER_SPEC = {20, 3, 3, 0, 1, 1};

  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @Test
  void changeCipherSpecAfterTheHandshakeClosesTheConnectionAndNoOtherClientsIsHarmed() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE, true))
        .build().start();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.setSoTimeout(10_000);
      SSLSocket tls = RawStartTls.upgrade(raw, s.port(), certs.ca(), 42);
      tls.setEnabledProtocols(new String[] {"TLSv1.3"});
      tls.startHandshake();
      call(tls, 1);
      assertEquals(1, ran.get(), "served over TLS 1.3 before the junk");

      OutputStream under = raw.getOutputStream(); // beneath TLS: records of the client's making
      IOException closed = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 100_000; i++) {
          under.write(CHANGE_CIPHER_SPEC);
        }
        under.flush();
        call(tls, 2); // the server closed the connection rather than answer
      });
      assertFalse(closed instanceof SocketTimeoutException, "the server closed: " + closed);
      assertEquals(1, ran.get(), "nothing after the junk ran");
      Await.until(() -> ServerInternals.connections(s) == 0);

      try (RpcClient c = RpcClient.builder().address("localhost", s.port())
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1)).build()) {
        assertEquals("tls none", c.call(RpcTlsTest.WHO_AM_I, null), "other clients are served on");
      }
    }
  }

  /** Calls WHO_AM_I and reads its reply. */
  private static void call(SSLSocket tls, int xid) throws IOException {
    tls.getOutputStream().write(RawStartTls.call(xid, 0));
    tls.getOutputStream().flush();
    DataInputStream in = new DataInputStream(tls.getInputStream());
    byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(record);
    assertEquals(xid, ByteBuffer.wrap(record).getInt(0));
  }
}
