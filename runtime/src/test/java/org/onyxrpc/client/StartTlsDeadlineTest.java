package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A TLS client's connection is made within its connect timeout, whatever part of it the TCP
 * connect, the AUTH_TLS probe and the handshake took, on the event loop's clock (a mock ticker
 * here). Before, the TLS handler cut every handshake at its own 10 s, a 30 s connect timeout or
 * not, and the probe and handshake had a whole connect timeout of their own after the connect.
 */
class StartTlsDeadlineTest {
  private final MockTicker ticker = Ticker.newMockTicker();
  private final CompletableFuture<Connection> ready = new CompletableFuture<>();

  @Test
  void aHandshakeThatTakesLongerThanTenSecondsIsWaitedForUpToTheConnectTimeout() throws Exception {
    EmbeddedChannel ch = connecting(Duration.ofSeconds(30));
    ch.pipeline().fireChannelActive(); // connected at once
    answerTheProbe(ch); // the handshake starts, and the server says nothing more

    advance(ch, Duration.ofSeconds(11));
    assertFalse(ready.isDone(), () -> "ended before the connect timeout: " + why());

    advance(ch, Duration.ofSeconds(19));
    assertTrue(ready.isDone(), "still waiting at the connect timeout");
    assertEquals("RPC-over-TLS with localhost/127.0.0.1:1: no TLS within the connect timeout of 30000 ms"
        + " (handshake)", why());
    ch.finishAndReleaseAll();
  }

  @Test
  void theProbeHasWhatTheConnectLeftOfTheTimeout() throws Exception {
    EmbeddedChannel ch = connecting(Duration.ofSeconds(1));
    ticker.advance(800, TimeUnit.MILLISECONDS); // the TCP connect took 0.8 s of the 1 s
    ch.pipeline().fireChannelActive();

    advance(ch, Duration.ofMillis(199));
    assertFalse(ready.isDone(), () -> "ended before the connect timeout: " + why());
    advance(ch, Duration.ofMillis(1));
    assertTrue(ready.isDone(), "still waiting at the connect timeout");
    assertEquals("RPC-over-TLS with localhost/127.0.0.1:1: no TLS within the connect timeout of 1000 ms"
        + " (no reply to the AUTH_TLS probe)", why());
    ch.finishAndReleaseAll();
  }

  /** A server that takes the TCP connection and never answers: the call ends, UNAVAILABLE. */
  @Test
  void aServerThatSaysNothingFailsTheCallWithinTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      RpcException e = assertThrows(RpcException.class, () -> ping(silent.getLocalPort()));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().endsWith("no TLS within the connect timeout of 500 ms (no reply to the"
          + " AUTH_TLS probe)"), e.getMessage());
    }
  }

  /** A server that answers the probe and then never answers the ClientHello: the same. */
  @Test
  void aServerThatStallsTheHandshakeFailsTheCallWithinTheConnectTimeout() throws Exception {
    try (ServerSocket stalling = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = stalling.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          byte[] probe = new byte[in.readInt() & RecordMarking.LENGTH_MASK];
          in.readFully(probe);
          s.getOutputStream().write(ByteBufUtil.getBytes(startTlsReply(ByteBuffer.wrap(probe).getInt())));
          in.transferTo(OutputStream.nullOutputStream()); // the ClientHello, unanswered, until the close
        } catch (IOException e) {
          // the client closed: done
        }
      }, "stalling-tls-server");
      server.start();
      RpcException e = assertThrows(RpcException.class, () -> ping(stalling.getLocalPort()));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().endsWith("no TLS within the connect timeout of 500 ms (handshake)"),
          e.getMessage());
      server.join();
    }
  }

  private static void ping(int port) throws Exception {
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port)
        .tls(ClientTls.of(SslContextBuilder.forClient().build(), 0x20000001, 1))
        .connectTimeout(Duration.ofMillis(500)).build()) {
      client.ping(0x20000001, 1);
    }
  }

  /** A channel as the connector makes it, connecting: StartTls added, the connect not yet done. */
  private EmbeddedChannel connecting(Duration connectTimeout) throws Exception {
    RecordDecoder decoder = new RecordDecoder(1 << 20);
    ClientTls tls = ClientTls.of(SslContextBuilder.forClient().build(), 0x20000001, 1);
    EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).build();
    ch.pipeline().addLast(decoder, new StartTls(tls, new InetSocketAddress("localhost", 1),
        connectTimeout, decoder, null, ready, Long.MAX_VALUE));
    return ch;
  }

  /** The server's STARTTLS reply to the probe the client wrote. */
  private static void answerTheProbe(EmbeddedChannel ch) {
    ByteBuf probe = ch.readOutbound();
    int xid = probe.getInt(RecordMarking.HEADER_BYTES);
    probe.release();
    ch.writeInbound(startTlsReply(xid));
    for (Object sent; (sent = ch.readOutbound()) != null; ) {
      io.netty.util.ReferenceCountUtil.release(sent); // the ClientHello
    }
  }

  /** RFC 9289's reply to the probe {@code xid}: accepted, with the STARTTLS verifier. */
  private static ByteBuf startTlsReply(int xid) {
    ByteBuf reply = Unpooled.buffer();
    int start = RecordMarking.begin(reply);
    RpcMessages.writeSuccessHeader(new XdrWriter(reply), xid,
        new OpaqueAuth(OpaqueAuth.AUTH_NONE, "STARTTLS".getBytes(StandardCharsets.US_ASCII)));
    RecordMarking.end(reply, start);
    return reply;
  }

  private void advance(EmbeddedChannel ch, Duration by) {
    ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
    ch.runScheduledPendingTasks();
  }

  private String why() {
    try {
      ready.join();
      return "connected";
    } catch (CompletionException e) {
      return e.getCause().getMessage();
    }
  }
}
