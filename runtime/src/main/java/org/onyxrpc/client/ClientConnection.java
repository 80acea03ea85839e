package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.RecordMarking;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection (TCP) or connected socket (UDP) to a server and the calls awaiting replies on it,
 * matched by xid. Calls are encoded by the calling thread straight into a pooled buffer; replies
 * are decoded on the I/O thread. When the connection is lost every call on it fails at once.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final Transport transport;
  private final String peer;
  private final ClientCounters counters;
  private final int maxPendingCalls;
  private final int maxMessageBytes;
  private final Map<Integer, PendingCall<?>> pending = new ConcurrentHashMap<>();
  private volatile Channel channel;

  ClientConnection(Transport transport, String peer, ClientCounters counters, int maxPendingCalls,
      int maxMessageBytes) {
    this.transport = transport;
    this.peer = peer;
    this.counters = counters;
    this.maxPendingCalls = maxPendingCalls;
    this.maxMessageBytes = maxMessageBytes;
  }

  boolean isActive() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Encodes and sends a call; failures complete {@code call} instead of throwing. */
  <A, R> void send(PendingCall<R> call, Procedure<A, R> procedure, A args, OpaqueAuth credential,
      boolean expectReply) {
    Channel c = channel;
    if (expectReply && pending.size() >= maxPendingCalls) {
      call.fail(RpcStatus.RESOURCE_EXHAUSTED, maxPendingCalls + " calls already outstanding to "
          + peer + "; not sending " + procedure.describe(), null);
      return;
    }
    ByteBuf message = c.alloc().ioBuffer();
    try {
      int mark = transport == Transport.TCP ? RecordMarking.begin(message) : -1;
      XdrWriter out = new XdrWriter(message);
      RpcMessages.writeCall(out, call.xid, procedure, credential, OpaqueAuth.NONE);
      procedure.arguments().encode(out, args);
      if (mark >= 0) {
        RecordMarking.end(message, mark);
      }
      if (message.readableBytes() > maxMessageBytes) {
        message.release();
        call.fail(RpcStatus.RESOURCE_EXHAUSTED, procedure.describe() + " call of "
            + message.readableBytes() + " bytes exceeds the " + transport + " maximum of "
            + maxMessageBytes, null);
        return;
      }
    } catch (RuntimeException e) {
      message.release();
      call.fail(RpcStatus.INTERNAL,
          "cannot encode the arguments of " + procedure.describe() + ": " + e.getMessage(), e);
      return;
    }
    if (expectReply) {
      call.sentOn(this);
      pending.put(call.xid, call);
      if (!c.isActive()) {
        forget(call);
        message.release();
        call.fail(RpcStatus.UNAVAILABLE, "connection to " + peer + " closed", null);
        return;
      }
      c.writeAndFlush(message, c.voidPromise());
    } else {
      c.writeAndFlush(message).addListener(f -> {
        if (f.isSuccess()) {
          call.complete(null);
        } else {
          call.fail(RpcStatus.UNAVAILABLE, "cannot send " + procedure.describe() + " to " + peer, f.cause());
        }
      });
    }
  }

  void forget(PendingCall<?> call) {
    pending.remove(call.xid, call);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf message = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
    try {
      XdrReader in = new XdrReader(message);
      int xid = in.readUnsignedInt();
      PendingCall<?> call = pending.remove(xid);
      if (call == null) {
        counters.lateReplies.increment();
        LOG.debug("dropping a reply from {} with unknown xid {}", peer, Integer.toHexString(xid));
        return;
      }
      ReplyHeader reply;
      try {
        if (in.readEnum() != RpcMessages.REPLY) {
          throw new XdrException("not a reply message");
        }
        reply = RpcMessages.readReplyBody(in, xid);
      } catch (XdrException e) {
        call.fail(RpcStatus.INTERNAL, "malformed reply from " + peer + " to "
            + call.procedure.describe() + ": " + e.getMessage(), e);
        return;
      }
      call.complete(reply, in);
    } catch (XdrException e) {
      LOG.debug("dropping a malformed reply from {}: {}", peer, e.getMessage());
    } finally {
      ((io.netty.util.ReferenceCounted) msg).release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failAll(RpcStatus.UNAVAILABLE, "connection to " + peer + " lost");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("closing the connection to {}: {}", peer, cause.getMessage());
    ctx.close();
  }

  /** Fails every call awaiting a reply on this connection. */
  void failAll(RpcStatus status, String message) {
    for (PendingCall<?> call : pending.values()) {
      if (pending.remove(call.xid, call)) {
        call.fail(status, message + " before the reply to " + call.procedure.describe(), null);
      }
    }
  }

  void close() {
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
