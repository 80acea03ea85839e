package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSessionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.testing.LeakDetection;

/**
 * A TLS 1.3 server (OpenSSL, through Python's ssl module: {@code ticket_flood_server.py}) that
 * sends NewSessionTicket messages in the thousands after the handshake and answers no call. The
 * JDK's client engine keeps every ticket: a copy of the session in the context's session cache
 * and, unbounded, as a child of the connection's session, each with its ticket (up to 64 KiB)
 * and a derived key. Before the bound the client took all 5000 here (5000 sessions in the cache)
 * while the call waited out its 20 s deadline, TIMEOUT; a server that sent them without end grew
 * the client's heap without end. Now a connection on which more than 64 TLS records gave no
 * application data since the handshake is given up: the call, not yet sent (the NULL ping that
 * comes first had no answer), fails UNAVAILABLE, and the cache holds no more than 65 tickets.
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsSessionTicketFloodTest {
  private static final int TICKETS = 5000;
  /** Calls on one connection, each answered in records of its own: many more than the bound. */
  private static final int CALLS = 500;

  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @TempDir Path dir;

  @Test
  void aServerThatFloodsSessionTicketsLosesTheConnectionNotTheClientsMemory() throws Exception {
    TestCertificates.requireTool("python3", "-c", "import ssl; ssl.SSLContext().num_tickets");
    Path script = dir.resolve("ticket_flood_server.py");
    try (InputStream in = getClass().getResourceAsStream("/tls/ticket_flood_server.py")) {
      Files.copy(in, script);
    }
    Process server = new ProcessBuilder("python3", script.toString(),
        certs.server().certificate().getPath(), certs.server().key().getPath(),
        Integer.toString(TICKETS)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII))) {
      int port = Integer.parseInt(out.readLine());
      SslContext context = TestCertificates.clientContext(certs.ca(), null);
      try (RpcClient client = RpcClient.builder().address("localhost", port)
          .timeout(Duration.ofSeconds(20))
          .tls(ClientTls.of(context, RpcTlsTest.PROGRAM, 1)).build()) {
        RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
        SSLSessionContext sessions = ((JdkSslContext) context).context().getClientSessionContext();
        int kept = Collections.list(sessions.getIds()).size();
        // the handshake's session, and the tickets up to the 65th record that gave no data
        assertTrue(kept <= 66, kept + " sessions kept from one server's tickets; the call: " + e.getMessage());
        // The NULL ping that comes first was not answered: the call was never sent, and its new
        // connection found the server gone.
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      }
      assertEquals("flooded", out.readLine(), "the server's flood ended with the connection");
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServerThatAnswersManyCallsOnOneConnectionIsNotTakenForAFlood() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (RpcServer s = RpcServer.builder().port(0).addService(RpcTlsTest.whoAmI(ran))
        .tls(TestCertificates.serverContext(certs.server(), null, ClientAuth.NONE), TlsMode.REQUIRE)
        .build().start();
        RpcClient client = RpcClient.builder().address("localhost", s.port())
            .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), RpcTlsTest.PROGRAM, 1))
            .build()) {
      for (int i = 0; i < CALLS; i++) {
        assertEquals("tls none", client.call(RpcTlsTest.WHO_AM_I, null));
      }
      assertEquals(CALLS, ran.get());
      assertEquals(1, ServerInternals.connections(s), "all on one connection");
    }
  }
}
