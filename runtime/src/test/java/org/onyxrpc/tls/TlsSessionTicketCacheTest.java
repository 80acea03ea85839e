package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.LeakDetection;

/**
 * A TLS 1.3 server (OpenSSL, through Python's ssl module: {@code ticket_answer_server.py}) that
 * sends many NewSessionTicket messages on each connection and then answers calls. Each ticket
 * becomes a session in the client context's cache (with its ticket, up to 64 KiB, and a key).
 * Before the bound the cache held 1000 sessions after one connection of 1000 tickets with
 * OpenSSL's engine (whose connections no record count guards), and 61 after five connections of
 * 60 with the JDK's (each under TlsNoDataBound's 64); both caches take up to 20,480, the JDK's for
 * 24 h. Now at most 32, and some: every connection after the first resumes a session. The calls
 * are answered after the tickets, so the ping's return means the client has read them all.
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsSessionTicketCacheTest {
  /** TlsSessionCacheBound.MOST */
  private static final int MOST = 32;

  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"JDK, 60, 5", "OPENSSL, 1000, 2"})
  void aServersTicketsFillTheClientsSessionCacheOnlySoFar(SslProvider provider, int tickets,
      int connections) throws Exception {
    TestCertificates.requireTool("python3", "-c", "import ssl; ssl.SSLContext().num_tickets");
    Path script = dir.resolve("ticket_answer_server.py");
    try (InputStream in = getClass().getResourceAsStream("/tls/ticket_answer_server.py")) {
      Files.copy(in, script);
    }
    Process server = new ProcessBuilder("python3", script.toString(),
        certs.server().certificate().getPath(), certs.server().key().getPath(),
        Integer.toString(tickets), Integer.toString(connections))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII))) {
      int port = Integer.parseInt(out.readLine());
      SslContext context = TestCertificates.clientContext(certs.ca(), null, provider);
      for (int i = 0; i < connections; i++) {
        try (RpcClient client = RpcClient.builder().address("localhost", port)
            .tls(ClientTls.of(context, RpcTlsTest.PROGRAM, 1)).build()) {
          client.ping(RpcTlsTest.PROGRAM, 1); // answered after this connection's tickets
        }
        // The client offers the server a session it cached for it, and the server takes it.
        assertEquals(i == 0 ? "new" : "resumed", out.readLine(), "connection " + i);
      }
      int kept = Collections.list(context.sessionContext().getIds()).size();
      assertTrue(kept <= MOST, kept + " sessions kept from " + connections + " connections of "
          + tickets + " tickets, over " + MOST);
      assertTrue(kept > 0, "no session kept: the client could never resume");
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server took every connection");
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
