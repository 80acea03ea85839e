package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/**
 * A call header as the server reads it, field by field, so that a part it cannot use is answered
 * with the reply RFC 5531 §9 has for it rather than dropped with the whole message: another RPC
 * version is RPC_MISMATCH before anything after rpcvers is read (the RFC lays out no other
 * version's call), a credential that cannot be read (a body over 400 bytes, or past the
 * message's end) AUTH_BADCRED, and such a verifier AUTH_BADVERF.
 *
 * @param call the header, when it can be used; null when refused
 * @param refusal the reply that refuses it; null when {@code call} is not
 */
record ReceivedHeader(CallHeader call, ReplyHeader refusal) {
  /**
   * Reads what follows a call's xid and msg_type; the reader is left at the arguments of a call
   * that is not refused. Told without an exception, as a peer may send such headers as fast as
   * it likes.
   *
   * @return the header, or null if the message ends before its credential: nothing to tell its
   *     sender
   */
  static ReceivedHeader read(XdrReader in, int xid) {
    if (in.remaining() < 4) {
      return null;
    }
    int rpcVersion = in.readUnsignedInt();
    if (rpcVersion != RpcMessages.RPC_VERSION) {
      return refused(ReplyHeader.rpcMismatch(xid, RpcMessages.RPC_VERSION, RpcMessages.RPC_VERSION));
    }
    if (in.remaining() < 12) { // prog, vers, proc
      return null;
    }
    int program = in.readUnsignedInt();
    int version = in.readUnsignedInt();
    int procedure = in.readUnsignedInt();
    OpaqueAuth credential = readAuth(in);
    if (credential == null) {
      return refused(ReplyHeader.authError(xid, AuthStatus.AUTH_BADCRED));
    }
    OpaqueAuth verifier = readAuth(in);
    if (verifier == null) {
      return refused(ReplyHeader.authError(xid, AuthStatus.AUTH_BADVERF));
    }
    return new ReceivedHeader(
        new CallHeader(xid, rpcVersion, program, version, procedure, credential, verifier), null);
  }

  /**
   * The opaque_auth at the reader, or null if it cannot be read. Its length is looked at before
   * it is read: a peer flooding calls with a length over 400 or past the message is refused
   * without an XdrException each, whose stack trace cost more than the rest of the refusal.
   */
  private static OpaqueAuth readAuth(XdrReader in) {
    ByteBuf buf = in.buffer();
    if (buf.readableBytes() < 8) { // flavor, length
      return null;
    }
    int length = buf.getInt(buf.readerIndex() + 4);
    if (Integer.compareUnsigned(length, OpaqueAuth.MAX_BODY) > 0
        || length + Xdr.padding(length) > buf.readableBytes() - 8) {
      return null;
    }
    try {
      return OpaqueAuth.decode(in);
    } catch (XdrException e) { // its padding is not zero, or the decoding budget is spent
      return null;
    }
  }

  private static ReceivedHeader refused(ReplyHeader refusal) {
    return new ReceivedHeader(null, refusal);
  }
}
