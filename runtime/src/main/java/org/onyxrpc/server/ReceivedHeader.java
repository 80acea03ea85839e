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
 * message's end) AUTH_BADCRED, and such a verifier AUTH_BADVERF. A usable header is read into
 * its {@link CallHeader} alone, and a refusal handed to {@link Refusals}: no object per call
 * holds one or the other.
 */
final class ReceivedHeader {
  /** Where a header that cannot be used goes: answered with its refusal, or dropped. */
  interface Refusals {
    /**
     * Refuses the call that came to {@code sink} in a message of {@code length} bytes with
     * {@code refusal}, or drops it if {@code refusal} is null: the message ends before its
     * credential, and there is nothing to tell its sender.
     */
    void refuse(ReplySink sink, int length, ReplyHeader refusal);
  }

  private ReceivedHeader() {}

  /**
   * Reads what follows a call's xid and msg_type; the reader is left at the arguments of a call
   * that is not refused. Told without an exception, as a peer may send such headers as fast as
   * it likes.
   *
   * @return the header, or null if it cannot be used: then handed to {@code refusals} with
   *     {@code sink}, {@code length} (the message's) and its refusal, null if the message ends
   *     before its credential
   */
  static CallHeader read(XdrReader in, int xid, ReplySink sink, int length, Refusals refusals) {
    if (in.remaining() < 4) {
      refusals.refuse(sink, length, null);
      return null;
    }
    int rpcVersion = in.readUnsignedInt();
    if (rpcVersion != RpcMessages.RPC_VERSION) {
      refusals.refuse(sink, length,
          ReplyHeader.rpcMismatch(xid, RpcMessages.RPC_VERSION, RpcMessages.RPC_VERSION));
      return null;
    }
    if (in.remaining() < 12) { // prog, vers, proc
      refusals.refuse(sink, length, null);
      return null;
    }
    int program = in.readUnsignedInt();
    int version = in.readUnsignedInt();
    int procedure = in.readUnsignedInt();
    OpaqueAuth credential = readAuth(in);
    if (credential == null) {
      refusals.refuse(sink, length, ReplyHeader.authError(xid, AuthStatus.AUTH_BADCRED));
      return null;
    }
    OpaqueAuth verifier = readAuth(in);
    if (verifier == null) {
      refusals.refuse(sink, length, ReplyHeader.authError(xid, AuthStatus.AUTH_BADVERF));
      return null;
    }
    return new CallHeader(xid, rpcVersion, program, version, procedure, credential, verifier);
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
}
