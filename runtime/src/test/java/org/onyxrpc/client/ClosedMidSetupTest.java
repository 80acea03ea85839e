package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;

/**
 * Closing a client closes the connection it is still setting up: one in its STARTTLS handshake
 * (the server said STARTTLS, then nothing) is closed at once, its pipeline torn down. Before, it
 * was left to its handshake timeout while other clients kept the shared event loops, and to the
 * loops' shutdown otherwise, which may end a loop without closing its channels: the read buffer
 * such a channel keeps (RecordReadSizing) was then never released.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class ClosedMidSetupTest {
  private static final int LAST = 0x8000_0000;
  // Well within the handshake's own timeout (Netty's 10 s), which would close it in the end.
  private static final long CLOSED_WITHIN_SECONDS = 5;

  private final ServerSocket listener = newListener();
  /** Completes when the client's first TLS bytes (its ClientHello) arrive. */
  private final CompletableFuture<Void> handshaking = new CompletableFuture<>();
  /** Completes when the client's end of the connection is closed. */
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  private static ServerSocket newListener() {
    try {
      return new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /** Says STARTTLS to the client's AUTH_TLS probe (RFC 9289 §4.1), then reads until the end. */
  private void serveStartTlsThenNothing() {
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] probe = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(probe);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(LAST | 32);
        for (int w : new int[] {java.nio.ByteBuffer.wrap(probe).getInt(0), 1, 0, 0, 8}) {
          out.writeInt(w);
        }
        out.write("STARTTLS".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(0);
        out.flush();
        closed.complete(readToTheEnd(in));
      } catch (IOException e) {
        closed.complete("closed: " + e);
      }
    }, "starttls-then-nothing");
    t.setDaemon(true);
    t.start();
  }

  private String readToTheEnd(InputStream in) {
    try {
      if (in.read() < 0) {
        return "closed before the handshake";
      }
      handshaking.complete(null);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return "closed";
    } catch (IOException e) {
      return "closed"; // reset: as closed
    }
  }

  private RpcClient tlsClient() throws Exception {
    return RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .connectTimeout(Duration.ofMinutes(5)) // the client's own deadline for TLS: not in play
        .tls(ClientTls.of(SslContextBuilder.forClient().build(), TestService.PROGRAM, 1))
        .build();
  }

  @Test
  void aConnectionInItsHandshakeIsClosedWithItsClient() throws Exception {
    serveStartTlsThenNothing();
    // Another client keeps the shared event loops running: only the close can end the connection.
    try (RpcClient other = RpcClient.builder().address("127.0.0.1", listener.getLocalPort()).build()) {
      try (RpcClient client = tlsClient()) {
        client.callAsync(TestService.ADD, new TestService.Pair(1, 2));
        handshaking.get(30, TimeUnit.SECONDS);
        client.close();
        assertEquals("closed", closed.get(CLOSED_WITHIN_SECONDS, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void theLastClientsConnectionInItsHandshakeIsClosedBeforeTheLoopsStop() throws Exception {
    serveStartTlsThenNothing();
    EventLoopGroup loops = SharedEventLoops.SHARED.acquire(); // to see them stop
    RpcClient client;
    try {
      client = tlsClient();
    } finally {
      SharedEventLoops.SHARED.release(loops);
    }
    try (client) {
      assumeTrue(SharedEventLoops.SHARED.users() == 1, "another client holds the shared loops");
      client.callAsync(TestService.ADD, new TestService.Pair(1, 2));
      handshaking.get(30, TimeUnit.SECONDS);
      client.close();
      // The pipeline is torn down before the loops end (or never): LeakDetection then finds the
      // buffer the connection kept for its reads released.
      loops.terminationFuture().get(30, TimeUnit.SECONDS);
      assertEquals("closed", closed.get(CLOSED_WITHIN_SECONDS, TimeUnit.SECONDS));
    }
  }
}
