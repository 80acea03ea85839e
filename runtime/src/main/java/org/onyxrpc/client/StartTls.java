package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The client's side of RFC 9289 on one new connection: sends the AUTH_TLS probe, reads the reply
 * in plaintext, then puts TLS in front and hands the connection over only when the handshake
 * succeeded. Until then the connection is nobody's, so no call can be written in plaintext.
 */
final class StartTls extends ChannelInboundHandlerAdapter {
  private static final byte[] STARTTLS = "STARTTLS".getBytes(StandardCharsets.US_ASCII);
  private static final OpaqueAuth AUTH_TLS = new OpaqueAuth(OpaqueAuth.AUTH_TLS, new byte[0]);
  // RFC 8446 §5.1: the content types of the records a TLS server sends first
  private static final int TLS_ALERT = 21;
  private static final int TLS_HANDSHAKE = 22;

  private final ClientTls tls;
  private final InetSocketAddress address;
  private final Duration timeout;
  private final RecordDecoder decoder;
  private final ClientConnection connection;
  private final CompletableFuture<Connection> ready;
  /** The most bytes that may wait to be written once TLS is up ({@link TlsQueueBound}). */
  private final long mostQueued;
  private final int xid = ThreadLocalRandom.current().nextInt();
  private ScheduledFuture<?> deadline;
  private boolean answered;
  /** When the connect began, by the channel's event loop: its connect timeout counts from there. */
  private long connectStartedNanos;

  StartTls(ClientTls tls, InetSocketAddress address, Duration timeout, RecordDecoder decoder,
      ClientConnection connection, CompletableFuture<Connection> ready, long mostQueued) {
    this.tls = tls;
    this.address = address;
    this.timeout = timeout;
    this.decoder = decoder;
    this.connection = connection;
    this.ready = ready;
    this.mostQueued = mostQueued;
  }

  /** Added as the channel is made, before it connects. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connectStartedNanos = ctx.executor().ticker().nanoTime();
  }

  /**
   * Sends the probe, and bounds the probe and the handshake by what the connect timeout has left:
   * making a connection takes no longer than it, however the time went.
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long left = timeout.toNanos() - (ctx.executor().ticker().nanoTime() - connectStartedNanos);
    deadline = ctx.executor().schedule(() -> fail(ctx, "no TLS within the connect timeout of "
        + timeout.toMillis() + " ms (" + (answered ? "handshake" : "no reply to the AUTH_TLS probe")
        + ")", null), Math.max(0, left), TimeUnit.NANOSECONDS);
    ctx.pipeline().addFirst(new FirstBytes()); // ahead of the record decoder
    ByteBuf probe = ctx.alloc().ioBuffer();
    RecordMarking.begin(probe);
    RpcMessages.writeCall(new XdrWriter(probe), new CallHeader(xid, RpcMessages.RPC_VERSION,
        tls.program(), tls.version(), 0, AUTH_TLS, OpaqueAuth.NONE));
    RecordMarking.end(probe, 0);
    ctx.writeAndFlush(probe);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    String refusal;
    try {
      refusal = answered ? "more than one reply to the AUTH_TLS probe" : check((ByteBuf) msg);
    } catch (RuntimeException e) {
      refusal = "an unreadable reply to the AUTH_TLS probe: " + e.getMessage();
    } finally {
      ReferenceCountUtil.release(msg);
    }
    answered = true;
    if (refusal != null) {
      fail(ctx, refusal, null);
      return;
    }
    if (decoder.bufferedBytes() > 0) {
      fail(ctx, "plaintext bytes after the STARTTLS reply", null);
      return;
    }
    SslHandler ssl = tls.newHandler(ctx.alloc(), address.getHostString(), address.getPort());
    // The deadline bounds the handshake: the handler's own 10 s cut a longer connect timeout short.
    ssl.setHandshakeTimeoutMillis(0);
    ctx.pipeline().addFirst("tls", ssl);
    if (!(ssl.engine() instanceof ReferenceCounted)) { // not OpenSSL's: see TlsNoDataBound
      TlsNoDataBound noData = new TlsNoDataBound(ssl);
      ctx.pipeline().addAfter("tls", "tls-data", noData.dataCounter());
      ctx.pipeline().addFirst("tls-no-data", noData);
    }
    ctx.pipeline().addFirst("tls-queue-bound", new TlsQueueBound(mostQueued));
    ssl.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        deadline.cancel(false);
        connection.tlsUp(TlsRefusal.sentCertificate(ssl));
        ctx.pipeline().remove(this);
        if (!ready.complete(connection)) {
          ctx.close(); // the deadline came first, and the calls were told so
        }
      } else {
        fail(ctx, "TLS handshake failed: " + HandshakeFailure.describe(done.cause()), done.cause());
      }
    });
  }

  /** Why the reply is not the STARTTLS one, or null if it is. */
  private String check(ByteBuf record) {
    ReplyHeader reply = RpcMessages.readReply(new XdrReader(record));
    if (reply.xid() != xid) {
      return "a reply to the AUTH_TLS probe with another xid";
    }
    if (reply.status() == RpcStatus.AUTH_ERROR) {
      // RFC 9289 §4.1: a server that does not know AUTH_TLS answers AUTH_ERROR
      return "the server does not offer TLS (it refused the AUTH_TLS probe: AUTH_ERROR "
          + reply.authStatus() + ")";
    }
    if (reply.status() != RpcStatus.SUCCESS) {
      return "the server refused the AUTH_TLS probe: " + reply.status();
    }
    OpaqueAuth verifier = reply.verifier();
    if (verifier.flavor() != OpaqueAuth.AUTH_NONE || !Arrays.equals(verifier.body(), STARTTLS)) {
      return "the server answered the AUTH_TLS probe without the STARTTLS verifier";
    }
    return null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, "connection closed before TLS was up", null);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.getMessage(), cause);
  }

  /**
   * Looks at the first bytes the server sends, before the record decoder reads them as a record
   * mark: a TLS record there (an alert, or a ServerHello) means a server that speaks TLS from its
   * first byte, as behind stunnel, not RFC 9289's STARTTLS. No RPC reply starts so: as a record
   * mark, those bytes claim a fragment of over 300 MB.
   */
  private final class FirstBytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.pipeline().remove(this);
      if (msg instanceof ByteBuf bytes && bytes.readableBytes() >= 2) {
        int type = bytes.getUnsignedByte(bytes.readerIndex());
        int major = bytes.getUnsignedByte(bytes.readerIndex() + 1);
        if ((type == TLS_ALERT || type == TLS_HANDSHAKE) && major == 3) {
          ReferenceCountUtil.release(msg);
          fail(ctx, "the server answered the AUTH_TLS probe in TLS: it expects TLS from the first"
              + " byte (implicit TLS, as behind stunnel), not RFC 9289's STARTTLS", null);
          return;
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  private void fail(ChannelHandlerContext ctx, String why, Throwable cause) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (ready.completeExceptionally(new IOException("RPC-over-TLS with " + address + ": " + why, cause))) {
      ctx.close();
    }
  }
}
