package org.onyxrpc.mq;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A hand-written queue client on a raw socket: it writes calls and reads replies itself, from
 * any loopback address, and may write calls whose replies it never reads (waiting calls).
 */
final class RawQueueClient implements AutoCloseable {
  private final RawTcpPeer peer;
  private final AuthSys credentials;
  private int xid = 1;

  RawQueueClient(int port, InetAddress from, int uid) throws IOException {
    this.peer = new RawTcpPeer(port, from);
    this.credentials = new AuthSys(0, "raw", uid, uid, new int[0]);
  }

  /** Writes a call and returns its xid; its reply is left unread. */
  <A> int send(Procedure<A, ?> procedure, A args) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    procedure.arguments().encode(new XdrWriter(buf), args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return sendBytes(procedure, bytes);
  }

  /** Writes a call with arguments as given, well-formed or not; returns its xid. */
  int sendBytes(Procedure<?, ?> procedure, byte[] bytes) throws IOException {
    int id = xid++;
    peer.sendRecord(RawTcpPeer.call(id, RpcMessages.RPC_VERSION, procedure.program(), procedure.version(),
        procedure.number(), credentials.toOpaqueAuth(), bytes));
    return id;
  }

  /** The next reply's result; fails on a reply that is not SUCCESS. */
  <R> R read(Procedure<?, R> procedure) throws IOException {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(peer.readRecord()));
    ReplyHeader header = RpcMessages.readReply(in);
    if (header.status() != RpcStatus.SUCCESS) {
      throw new AssertionError(procedure.name() + ": " + header);
    }
    return procedure.result().decode(in);
  }

  /** The status of the next reply. */
  RpcStatus readStatus() throws IOException {
    return RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(peer.readRecord()))).status();
  }

  /** One call and its reply. */
  <A, R> R call(Procedure<A, R> procedure, A args) throws IOException {
    send(procedure, args);
    return read(procedure);
  }

  RawTcpPeer peer() {
    return peer;
  }

  @Override
  public void close() throws IOException {
    peer.close();
  }
}
