package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerTls;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.LeakDetection;

/**
 * A TLS 1.3 client that sends close_notify after its calls (TLS's half-close: its TCP side stays
 * open, as a STARTTLS socket layered over the connection leaves it) gets every reply, then the
 * server's close, as after a TCP half-close. Before, the server answered and then held the
 * connection until its idle timeout, and a client waiting for the server's close_notify (Python's
 * {@code unwrap()}) waited as long.
 */
@ExtendWith(LeakDetection.class)
class TlsCloseNotifyTest {
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @Test
  void callsSentBeforeACloseNotifyAreAnsweredAndTheConnectionThenClosed() throws Exception {
    try (RpcServer s = RpcServer.builder().port(0).idleTimeout(Duration.ofMinutes(5))
        .addService(RpcTlsTest.whoAmI(new AtomicInteger()))
        .tls(new ServerTls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE, false))
        .build().start();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      raw.setSoTimeout(10_000); // far below the idle timeout
      SSLSocket tls = RawStartTls.upgrade(raw, s.port(), certs.ca(), 100); // its close leaves TCP open
      tls.startHandshake();
      assertEquals("TLSv1.3", tls.getSession().getProtocol());
      ByteArrayOutputStream calls = new ByteArrayOutputStream();
      for (int xid = 1; xid <= 10; xid++) {
        calls.writeBytes(RawStartTls.call(xid, 0));
      }
      tls.getOutputStream().write(calls.toByteArray());
      tls.getOutputStream().flush();
      tls.shutdownOutput(); // close_notify

      DataInputStream in = new DataInputStream(tls.getInputStream());
      List<Integer> xids = new ArrayList<>();
      try {
        while (true) {
          byte[] reply = new byte[in.readInt() & 0x7FFF_FFFF];
          in.readFully(reply);
          xids.add(ByteBuffer.wrap(reply).getInt());
        }
      } catch (EOFException closed) {
        // the server's close_notify: what the test waits for (a read timeout fails it)
      }
      assertEquals(10, xids.size(), "every reply, then the end of the stream: " + xids);
    }
  }

  /** A call to WHO_AM_I (procedure 1), or with {@code credentialFlavor} 7 the NULL probe. */
}
