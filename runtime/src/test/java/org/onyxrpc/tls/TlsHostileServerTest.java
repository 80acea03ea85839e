package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * A server that takes the client's AUTH_TLS probe as RFC 9289 says, then misbehaves: garbage
 * where its TLS handshake should be, or, inside a proper TLS session, records no RPC client
 * should trust and bytes that are not TLS. A call the server never received is UNAVAILABLE; one
 * it may have received is OUTCOME_UNKNOWN, at once rather than at its 30 s deadline.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsHostileServerTest {
  private static final int LAST = 0x8000_0000;
  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static SSLContext serverTls;

  private ServerSocket listener;
  private final CountDownLatch over = new CountDownLatch(1);

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    TestCertificates.KeyPair server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    serverTls = ((JdkSslContext) TestCertificates.serverContext(server, null, ClientAuth.NONE)).context();
  }

  @AfterEach
  void stop() throws IOException {
    over.countDown();
    if (listener != null) {
      listener.close();
    }
  }

  /** What the server does once it has said STARTTLS on the plaintext connection. */
  private interface AfterStartTls {
    void run(Socket plain) throws IOException;
  }

  /** What the server does, inside TLS, with a call it has read whole ({@code xid} first). */
  private interface InsideTls {
    void answer(int xid, OutputStream out) throws IOException;
  }

  private int serve(AfterStartTls after) throws IOException {
    listener = new ServerSocket();
    listener.setReceiveBufferSize(4096); // a server that stops reading: the kernel takes little
    listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] probe = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(probe);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        int xid = java.nio.ByteBuffer.wrap(probe).getInt(0);
        // MSG_ACCEPTED, an AUTH_NONE verifier holding "STARTTLS", SUCCESS (RFC 9289 §4.1)
        out.writeInt(LAST | 32);
        for (int w : new int[] {xid, 1, 0, 0, 8}) {
          out.writeInt(w);
        }
        out.write("STARTTLS".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(0);
        out.flush();
        after.run(s);
        over.await();
      } catch (IOException | InterruptedException e) {
        // the client closed, or the test is over
      }
    }, "hostile-tls-server");
    t.setDaemon(true);
    t.start();
    return listener.getLocalPort();
  }

  private static SSLSocket handshake(Socket plain) throws IOException {
    SSLSocket s = (SSLSocket) serverTls.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), false);
    s.setUseClientMode(false);
    s.startHandshake();
    return s;
  }

  /** Completes the handshake, answers the client's pings, and each other call through {@code inside}. */
  private static AfterStartTls tls(InsideTls inside) {
    return plain -> {
      SSLSocket s = handshake(plain);
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        byte[] call = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(call);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(call);
        if (b.getInt(20) == 0) {
          DataOutputStream d = new DataOutputStream(out);
          d.writeInt(LAST | 24);
          for (int w : new int[] {b.getInt(0), 1, 0, 0, 0, 0}) {
            d.writeInt(w);
          }
        } else {
          inside.answer(b.getInt(0), out);
        }
        out.flush();
      }
    };
  }

  private static RpcClient client(int port) throws Exception {
    return RpcClient.builder().address("localhost", port).timeout(Duration.ofSeconds(30))
        .tls(ClientTls.of(TestCertificates.clientContext(ca, null), RpcTlsTest.PROGRAM, 1))
        .build();
  }

  private static RpcStatus statusOfACall(int port) throws Exception {
    try (RpcClient client = client(port)) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
      return e.status();
    }
  }

  @Test
  void garbageWhereTheHandshakeShouldBeSendsNothing() throws Exception {
    int port = serve(plain -> plain.getOutputStream().write(new byte[] {0x15, 3, 3, 0, 2, 2, 40, 'x', 'y'}));
    assertEquals(RpcStatus.UNAVAILABLE, statusOfACall(port));
  }

  @Test
  void aHandshakeStalledPastTheDeadlineIsNotBlamedOnTheNullPing() throws Exception {
    // The server says STARTTLS and then nothing: the deadline, well within the connect
    // timeout, passes mid-handshake, before the client's NULL ping could go out.
    int port = serve(plain -> { });
    try (RpcClient client = client(port)) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE).withDeadline(Duration.ofMillis(300))));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertTrue(e.getMessage().contains("not sent: the connection was still being set up"), e.getMessage());
      assertFalse(e.getMessage().contains("did not answer the NULL ping"), e.getMessage());
    }
  }

  @Test
  void garbageWhereTheHandshakeShouldBeIsLoggedShort() throws Throwable {
    assertLinesShort(stderrOf(() -> {
      // Not TLS: Netty's complaint carries every byte read, in hex.
      int port = serve(plain -> plain.getOutputStream().write(new byte[64 << 10]));
      assertEquals(RpcStatus.UNAVAILABLE, statusOfACall(port));
    }));
  }

  @Test
  void plaintextInTheMiddleOfTheSessionIsLoggedShort() throws Throwable {
    assertLinesShort(stderrOf(() -> {
      int port = serve(plain -> tls((xid, out) -> {
        plain.getOutputStream().write(new byte[64 << 10]); // past TLS, straight onto the socket
        plain.getOutputStream().flush();
      }).run(plain));
      try (RpcClient client = client(port)) {
        RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage().length() + " characters");
      }
    }));
  }

  /** What {@code body} wrote to System.err, where the tests' loggers write. */
  private static String stderrOf(Executable body) throws Throwable {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      body.execute();
    } finally {
      System.setErr(stderr);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  private static void assertLinesShort(String logged) {
    assertTrue(logged.lines().allMatch(line -> line.length() < 1_000),
        logged.lines().mapToInt(String::length).max().orElse(0) + " characters: "
            + logged.substring(0, Math.min(logged.length(), 2_000)));
  }

  @Test
  void anEmptyRecordInsideTlsFailsTheCallAtOnce() throws Exception {
    int port = serve(tls((xid, out) -> new DataOutputStream(out).writeInt(LAST)));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOfACall(port));
  }

  @Test
  void aRecordOfTwoGigabytesInsideTlsIsRefusedBeforeItIsRead() throws Exception {
    int port = serve(tls((xid, out) -> new DataOutputStream(out).writeInt(LAST | 0x7FFF_FFFF)));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOfACall(port));
  }

  @Test
  void plaintextInTheMiddleOfTheSessionFailsTheCallAtOnce() throws Exception {
    int port = serve(plain -> tls((xid, out) -> {
      // Past TLS, straight onto the socket: bytes no TLS record layer accepts.
      plain.getOutputStream().write(new byte[] {(byte) 0x80, 0, 0, 28, 1, 2, 3, 4});
      plain.getOutputStream().flush();
    }).run(plain));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOfACall(port));
  }

  @Test
  void aServerThatClosesMidReplyWithoutCloseNotifyFailsTheCallAtOnce() throws Exception {
    // Half a reply inside TLS, then the TCP connection closed under the session (a FIN, no
    // close_notify): the call was taken, so it may have run.
    int port = serve(plain -> tls((xid, out) -> {
      halfAReply(xid, out);
      plain.close();
    }).run(plain));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOfACall(port));
  }

  @Test
  void aServerThatResetsMidReplyFailsTheCallAtOnce() throws Exception {
    int port = serve(plain -> tls((xid, out) -> {
      halfAReply(xid, out);
      plain.setSoLinger(true, 0); // the close is a reset
      plain.close();
    }).run(plain));
    assertEquals(RpcStatus.OUTCOME_UNKNOWN, statusOfACall(port));
  }

  /** A reply's record mark, xid and REPLY, of a record announced longer: the rest never comes. */
  private static void halfAReply(int xid, OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(LAST | 24);
    d.writeInt(xid);
    d.writeInt(1);
    d.flush();
  }

  @Test
  void aCloseNotifyFromTheServerFailsTheCallAtOnce() throws Exception {
    // Past the NULL ping, the server ends its TLS session (close_notify, as TLS 1.3 allows
    // without closing: it goes on reading) and answers nothing more. Before, the connection
    // stayed the client's: this call, and every later one, waited out its deadline on it.
    int port = serve(plain -> {
      SSLSocket s = handshake(plain);
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        byte[] call = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(call);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(call);
        if (b.getInt(20) != 0) {
          s.shutdownOutput();
          continue; // and reads on, until the client closes
        }
        DataOutputStream d = new DataOutputStream(s.getOutputStream());
        d.writeInt(LAST | 24);
        for (int w : new int[] {b.getInt(0), 1, 0, 0, 0, 0}) {
          d.writeInt(w);
        }
        d.flush();
      }
    });
    try (RpcClient client = client(port)) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("close_notify"), e.getMessage());
      // The next call goes on a new connection (which this server never takes up).
      assertThrows(RpcException.class, () -> client.call(RpcTlsTest.WHO_AM_I, null,
          CallOptions.DEFAULT.withDeadline(Duration.ofMillis(500))));
      assertEquals(2, client.stats().connects());
    }
  }

  @Test
  void aServerThatStopsReadingAfterTheHandshakeHoldsNoMoreThanTheQueuedBytesLimit() throws Exception {
    int calls = 40;
    int bytes = 1 << 20;
    java.util.List<SSLSocket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    int port = serve(plain -> held.add(handshake(plain))); // then reads nothing
    CallOptions maybe = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE).withDeadline(Duration.ofMinutes(10));
    try (RpcClient client = RpcClient.builder().address("localhost", port).timeout(Duration.ofSeconds(30))
        .tls(ClientTls.of(TestCertificates.clientContext(ca, null), RpcTlsTest.PROGRAM, 1))
        .maxQueuedBytes(4L * bytes).build()) {
      client.sendAndWait(TestService.LOG, "connected", CallOptions.DEFAULT); // TLS is up
      List<CompletableFuture<byte[]>> sent = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        sent.add(client.callAsync(TestService.BLOB, new byte[bytes], maybe));
      }
      // Calls are admitted in order: once a later one has ended, so have they been admitted.
      client.callAsync(TestService.BLOB, new byte[bytes], maybe.withDeadline(Duration.ofSeconds(1)))
          .handle((ok, failure) -> null).get(1, TimeUnit.MINUTES);
      int outstanding = 0;
      for (CompletableFuture<byte[]> call : sent) {
        if (!call.isDone()) {
          outstanding++;
          continue;
        }
        RpcException e = assertThrows(RpcException.class, () -> {
          try {
            call.join();
          } catch (CompletionException c) {
            throw c.getCause();
          }
        });
        assertEquals(RpcStatus.RESOURCE_EXHAUSTED, e.status(), e.getMessage());
      }
      // The 4 MiB limit queued, and what the kernel's socket buffers took: never all 40.
      assertTrue(outstanding >= 1 && outstanding <= 8, outstanding + " calls queued or written");
    }
  }
}
