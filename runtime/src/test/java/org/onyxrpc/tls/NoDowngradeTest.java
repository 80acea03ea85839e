package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A TLS client never sends a call in plaintext: against a peer that does not answer the AUTH_TLS
 * probe, and against peers that answer it otherwise than with STARTTLS, every byte the peer
 * receives is the probe.
 */
class NoDowngradeTest {
  @TempDir static Path dir;
  static TestCertificates.Authority ca;

  @BeforeAll
  static void certificates() throws Exception {
    ca = new TestCertificates(dir).authority("test-ca");
  }

  /** A raw TCP peer: records everything each connection sends; may answer the probe. */
  static final class Peer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final List<Thread> readers = new CopyOnWriteArrayList<>();
    final Thread acceptor;

    /** {@code answer}: the reply record to a probe of the given xid, or null to stay silent. */
    Peer(IntFunction<byte[]> answer) throws IOException {
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = socket.accept();
            Thread reader = new Thread(() -> serve(s, answer));
            readers.add(reader);
            reader.start();
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.start();
    }

    private void serve(Socket s, IntFunction<byte[]> answer) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      try (s) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] probe = new byte[44];
        in.readFully(probe);
        all.write(probe);
        byte[] reply = answer.apply(ByteBuffer.wrap(probe).getInt(4));
        if (reply != null) {
          s.getOutputStream().write(reply);
          s.getOutputStream().flush();
        }
        copyUntilEof(in, all); // the client closes when it gives up
      } catch (IOException e) {
        // a reset also ends the connection
      }
      received.add(all.toByteArray());
    }

    List<byte[]> receivedAfterClose() throws Exception {
      socket.close();
      acceptor.join();
      for (Thread t : readers) {
        t.join();
      }
      return received;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void copyUntilEof(InputStream in, ByteArrayOutputStream out) throws IOException {
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
  }

  /** The 44-byte record of RFC 9289's probe: NULL, AUTH_TLS credential, AUTH_NONE verifier. */
  private static void assertOnlyTheProbe(List<byte[]> received) {
    assertFalse(received.isEmpty(), "the client never connected");
    for (byte[] bytes : received) {
      assertEquals(44, bytes.length, "bytes beyond the probe were sent in plaintext");
      ByteBuffer b = ByteBuffer.wrap(bytes);
      assertEquals(0x80000000 | 40, b.getInt(0)); // one last fragment of 40 bytes
      assertEquals(0, b.getInt(8)); // CALL
      assertEquals(RpcTlsTest.PROGRAM, b.getInt(16));
      assertEquals(0, b.getInt(24)); // NULL
      assertEquals(7, b.getInt(28)); // AUTH_TLS
      assertArrayEquals(new byte[12], java.util.Arrays.copyOfRange(bytes, 32, 44));
    }
  }

  private static RpcClient client(Peer peer, Duration connectTimeout) throws Exception {
    return RpcClient.builder().address("localhost", peer.socket.getLocalPort())
        .connectTimeout(connectTimeout).timeout(Duration.ofSeconds(30))
        .tls(ClientTls.of(TestCertificates.clientContext(ca, null), RpcTlsTest.PROGRAM, 1))
        .build();
  }

  private static byte[] reply(int xid, int... words) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 * words.length);
    b.putInt(0x80000000 | (8 + 4 * words.length)).putInt(xid).putInt(1);
    for (int w : words) {
      b.putInt(w);
    }
    return b.array();
  }

  @Test
  void aServerThatDoesNotAnswerTheProbeGetsNoCall() throws Exception {
    try (Peer peer = new Peer(xid -> null)) {
      try (RpcClient client = client(peer, Duration.ofMillis(500))) {
        RpcException e = assertThrows(RpcException.class,
            () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("no reply to the AUTH_TLS probe"), e.getMessage());
      }
      assertOnlyTheProbe(peer.receivedAfterClose());
    }
  }

  @Test
  void aServerThatAcceptsTheProbeWithoutStartTlsGetsNoCall() throws Exception {
    // MSG_ACCEPTED, verifier AUTH_NONE empty, SUCCESS: a server that ignored AUTH_TLS
    try (Peer peer = new Peer(xid -> reply(xid, 0, 0, 0, 0))) {
      try (RpcClient client = client(peer, Duration.ofSeconds(10))) {
        RpcException e = assertThrows(RpcException.class,
            () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("without the STARTTLS verifier"), e.getMessage());
      }
      assertOnlyTheProbe(peer.receivedAfterClose());
    }
  }

  @Test
  void aServerThatRefusesTheProbeGetsNoCall() throws Exception {
    // MSG_DENIED, AUTH_ERROR, AUTH_REJECTEDCRED: a server without RPC-over-TLS
    try (Peer peer = new Peer(xid -> reply(xid, 1, 1, 2))) {
      try (RpcClient client = client(peer, Duration.ofSeconds(10))) {
        RpcException e = assertThrows(RpcException.class,
            () -> client.call(RpcTlsTest.WHO_AM_I, null));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("the server does not offer TLS (it refused the AUTH_TLS"
            + " probe: AUTH_ERROR AUTH_REJECTEDCRED)"), e.getMessage());
      }
      assertOnlyTheProbe(peer.receivedAfterClose());
    }
  }
}
