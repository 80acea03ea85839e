package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.handler.ssl.ClientAuth;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.LocalhostCertificates;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * One host (raw sockets from 127.0.0.2) that asks for TLS on more connections at once than its
 * address may handshake on: the handshakes over the bound wait, unread, until one of its own
 * ends, while a client on another address (127.0.0.1) gets its handshake and its call.
 */
class TlsHandshakesPerAddressTest {
  private static final InetAddress HOST = LoopbackHosts.host("127.0.0.2");
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private RpcServer server;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService handshakes = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .addService(new TestService().definition())
        .tls(ServerTls.of(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE),
            TlsMode.REQUIRE).withMaxHandshakesPerAddress(2))
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    handshakes.shutdownNow();
    server.close();
  }

  /** The AUTH_TLS probe of RFC 9289: a NULL call whose credential is AUTH_TLS (7). */
  private static byte[] probe() {
    return ByteBuffer.allocate(40).putInt(1).putInt(0).putInt(2).putInt(TestService.PROGRAM)
        .putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
  }

  /** A raw peer from {@link #HOST} whose probe was answered, and which says nothing more. */
  private RawTcpPeer stalled() throws Exception {
    RawTcpPeer peer = new RawTcpPeer(server.port(), HOST);
    open.add(peer);
    peer.sendRecord(probe());
    assertEquals(RpcStatus.SUCCESS, peer.readReply().status());
    return peer;
  }

  /** A socket from {@link #HOST} whose probe was answered, ready for a ClientHello. */
  private Socket probed() throws Exception {
    Socket socket = new Socket();
    open.add(socket);
    socket.bind(new InetSocketAddress(HOST, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | 40).array());
    out.write(probe());
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] reply = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(reply);
    assertEquals(0, ByteBuffer.wrap(reply, 8, 4).getInt(), "MSG_ACCEPTED");
    return socket;
  }

  /** Starts a TLS handshake over {@code socket}, on another thread; it completes when done. */
  private CompletableFuture<SSLSocket> handshake(Socket socket) throws Exception {
    SSLContext context = TestCertificates.jdkClientContext(certs.ca(), "TLSv1.3");
    SSLSocket tls = (SSLSocket) context.getSocketFactory()
        .createSocket(socket, "localhost", server.port(), true);
    open.add(tls);
    return CompletableFuture.supplyAsync(() -> {
      try {
        tls.startHandshake();
        return tls;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, handshakes);
  }

  @Test
  void handshakesOverTheBoundOfAnAddressWaitWhileOtherAddressesAreServed() throws Exception {
    RawTcpPeer first = stalled();
    stalled(); // the address's two handshakes, both stalled
    CompletableFuture<SSLSocket> third = handshake(probed());
    Await.until(() -> server.handshakeSlots().waiting() == 1);
    assertFalse(third.isDone(), "a third handshake of the address waits, its ClientHello unread");

    try (RpcClient other = RpcClient.builder().address("localhost", server.port())
        .timeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(10))
        .tls(ClientTls.of(TestCertificates.clientContext(certs.ca(), null), TestService.PROGRAM, 1))
        .build()) {
      assertEquals(5, other.call(TestService.ADD, new TestService.Pair(2, 3)));
    }

    first.close(); // one of the address's handshakes ends: the waiting one begins
    SSLSocket tls = third.get(1, TimeUnit.MINUTES);
    byte[] add = RawTcpPeer.call(7, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
        org.onyxrpc.rpc.OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(20).putInt(22).array());
    tls.getOutputStream().write(ByteBuffer.allocate(4).putInt(0x8000_0000 | add.length).array());
    tls.getOutputStream().write(add);
    DataInputStream in = new DataInputStream(tls.getInputStream());
    byte[] reply = new byte[in.readInt() & 0x7FFF_FFFF];
    in.readFully(reply);
    assertEquals(42, ByteBuffer.wrap(reply, reply.length - 4, 4).getInt());
  }

  @Test
  void aWaitingConnectionThatClosesLeavesTheLineAndNothingIsHeldAfterwards() throws Exception {
    List<RawTcpPeer> holders = List.of(stalled(), stalled());
    Socket waiting = probed();
    Await.until(() -> server.handshakeSlots().waiting() == 1);
    waiting.close();
    Await.until(() -> server.handshakeSlots().waiting() == 0);
    for (RawTcpPeer p : holders) {
      p.close();
    }
    Await.until(() -> server.handshakeSlots().addresses() == 0);
  }
}
