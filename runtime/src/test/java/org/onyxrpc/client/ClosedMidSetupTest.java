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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;

/**
 * Closing a client closes the connection it is still setting up: one in its STARTTLS handshake
 * (the server said STARTTLS, then nothing), or still connecting, is closed at once, its pipeline
 * torn down. Before, it was left to its handshake or connect timeout while other clients kept
 * the shared event loops, and to the loops' shutdown otherwise, which may end a loop without
 * closing its channels: the read buffer such a channel keeps (RecordReadSizing) was then never
 * released.
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

  /**
   * Plain TCP: a connect still pending when the client closes is closed with it, a Netty channel
   * or a caller-runs client's blocking connect alike. Linux queues backlog + 1 connections nobody
   * accepted and drops the SYNs of any more, so a connect beyond them stays pending; its socket
   * shows in the kernel's table as SYN_SENT.
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aConnectStillPendingIsClosedWithItsClient(IoStrategy io) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's table of sockets");
    List<Socket> queued = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = full.getLocalPort();
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket();
        queued.add(s);
        s.connect(full.getLocalSocketAddress());
      }
      try (RpcClient other = RpcClient.builder().address("127.0.0.1", port).build();
          RpcClient client = RpcClient.builder().address("127.0.0.1", port)
              .ioStrategy(io).connectTimeout(Duration.ofMinutes(5)).build()) {
        client.callAsync(TestService.ADD, new TestService.Pair(1, 2));
        while (connectsPendingTo(port) == 0) {
          Thread.onSpinWait(); // the connect is made on another thread
        }
        client.close();
        // A blocking connect's socket is closed once its thread leaves the connect (the JDK
        // defers the close of a channel a thread is blocked on), a moment after close()
        // returns; left connecting, it would stay SYN_SENT for the 5 minutes' connect timeout.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSED_WITHIN_SECONDS);
        while (connectsPendingTo(port) > 0 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals(0, connectsPendingTo(port), "sockets still connecting to the listener");
      }
    } finally {
      for (Socket s : queued) {
        s.close();
      }
    }
  }

  /** Sockets in SYN_SENT to {@code port}, from /proc/net/tcp and tcp6. */
  private static long connectsPendingTo(int port) throws IOException {
    long pending = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path path = Path.of(table);
      if (!Files.isReadable(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) { // after the header
        String[] fields = line.trim().split("\\s+");
        String remote = fields[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == port && fields[3].equals("02")) { // TCP_SYN_SENT
          pending++;
        }
      }
    }
    return pending;
  }
}
