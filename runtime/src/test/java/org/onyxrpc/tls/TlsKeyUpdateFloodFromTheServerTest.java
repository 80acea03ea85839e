package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;

/**
 * The client's side of {@link TlsKeyUpdateFloodTest}: a TLS 1.3 server that takes a call, then
 * reads nothing more and sends KeyUpdate with update_requested in a loop. Each makes the
 * client's engine write a KeyUpdate of its own, which the socket cannot take; they queued on the
 * client's connection without bound (the calls' own bytes are bounded by maxQueuedBytes, these
 * were not) and the call waited out its deadline (TIMEOUT after 20 s here). Now the connection is
 * given up once more bytes wait on it than its calls may queue (maxQueuedBytes and one message,
 * with room for TLS): the call, which the server took, fails OUTCOME_UNKNOWN at once.
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsKeyUpdateFloodFromTheServerTest {
  private static final int LAST = 0x8000_0000;

  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  /**
   * With the JDK's engine the client gives the connection up after the 65th KeyUpdate, each a
   * record that gave it no application data ({@code TlsNoDataBound}, TlsSessionTicketFloodTest);
   * the queue is given room here, for with 4 KiB its bound (each answer counts 27 bytes and
   * Netty's 96 for its entry) came first in some runs, as the socket took more or less of the
   * answers. OpenSSL's engine (BoringSSL here) is not counted so, but takes only so many
   * KeyUpdates itself. ({@code TlsQueueBound} still ends floods no engine bounds.)
   */
  @ParameterizedTest
  @CsvSource({"JDK, 65536, gave no application data", "OPENSSL, 4096, TOO_MANY_KEY_UPDATES"})
  void aServerThatFloodsKeyUpdatesAndReadsNothingLosesTheConnectionNotTheClientsMemory(
      SslProvider provider, int maxQueuedBytes, String why) throws Exception {
    CountDownLatch flooded = new CountDownLatch(1);
    try (ServerSocket listener = new ServerSocket()) {
      listener.setReceiveBufferSize(4096); // the kernel takes little of what is not read
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
      Thread server = new Thread(() -> floodAfterTheFirstCall(listener, flooded), "key-update-flood-server");
      server.setDaemon(true);
      server.start();
      try (RpcClient client = RpcClient.builder().address("localhost", listener.getLocalPort())
          .timeout(Duration.ofSeconds(20)).maxQueuedBytes(maxQueuedBytes).maxRecordBytes(1 << 10)
          .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null, provider), RpcTlsTest.PROGRAM, 1))
          .build()) {
        RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
      }
      assertTrue(flooded.await(1, TimeUnit.MINUTES), "the server's flood ended with the connection");
      server.join();
    }
  }

  /** Says STARTTLS, answers the NULL pings, and at the first other call floods and reads no more. */
  private static void floodAfterTheFirstCall(ServerSocket listener, CountDownLatch flooded) {
    try (Socket plain = listener.accept()) {
      DataInputStream in = new DataInputStream(plain.getInputStream());
      byte[] probe = record(in);
      DataOutputStream out = new DataOutputStream(plain.getOutputStream());
      // MSG_ACCEPTED, an AUTH_NONE verifier holding "STARTTLS", SUCCESS (RFC 9289 §4.1)
      out.writeInt(LAST | 32);
      for (int w : new int[] {ByteBuffer.wrap(probe).getInt(0), 1, 0, 0, 8}) {
        out.writeInt(w);
      }
      out.write("STARTTLS".getBytes(StandardCharsets.US_ASCII));
      out.writeInt(0);
      out.flush();
      SSLSocket tls = (SSLSocket) ((JdkSslContext) TestCertificates.serverContext(certs.server(), null,
          ClientAuth.NONE)).context().getSocketFactory().createSocket(plain, "localhost", plain.getPort(), false);
      tls.setUseClientMode(false);
      tls.setEnabledProtocols(new String[] {"TLSv1.3"});
      tls.startHandshake();
      DataInputStream inside = new DataInputStream(tls.getInputStream());
      DataOutputStream replies = new DataOutputStream(tls.getOutputStream());
      while (true) {
        ByteBuffer call = ByteBuffer.wrap(record(inside));
        if (call.getInt(20) != 0) {
          break; // the call: from here on nothing is read
        }
        replies.writeInt(LAST | 24);
        for (int w : new int[] {call.getInt(0), 1, 0, 0, 0, 0}) {
          replies.writeInt(w);
        }
        replies.flush();
      }
      try {
        while (true) {
          tls.startHandshake(); // TLS 1.3, established: a KeyUpdate with update_requested
        }
      } catch (IOException closed) {
        flooded.countDown(); // the client gave the connection up
      }
    } catch (Exception e) {
      // the test is over
    }
  }

  private static byte[] record(DataInputStream in) throws IOException {
    byte[] r = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(r);
    return r;
  }
}
