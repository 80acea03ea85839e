package org.onyxrpc.internal.rpc;

import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Writes and reads ONC RPC v2 message headers (RFC 5531 §9). It knows messages, not transports:
 * record marking and datagrams are the transport's business.
 */
public final class RpcMessages {
  /** RFC 5531 §9: the only RPC version this protocol defines. */
  public static final int RPC_VERSION = CallHeader.RPC_VERSION;
  /** RFC 5531 §9 msg_type CALL. */
  public static final int CALL = 0;
  /** RFC 5531 §9 msg_type REPLY. */
  public static final int REPLY = 1;

  // RFC 5531 §9 reply_stat.
  private static final int MSG_ACCEPTED = 0;
  private static final int MSG_DENIED = 1;

  private RpcMessages() {}

  /** Writes a call header; the arguments are written after it. */
  public static void writeCall(XdrWriter out, CallHeader call) {
    writeCallFields(out, call.xid(), call.rpcVersion(), call.program(), call.version(),
        call.procedure(), call.credential());
    call.verifier().encode(out);
  }

  /**
   * Writes a version-2 call header up to and including the credential, without building a
   * {@link CallHeader}: the client's hot path. The verifier is written next, then the arguments.
   */
  public static void writeCallUpToVerifier(
      XdrWriter out, int xid, Procedure<?, ?> procedure, OpaqueAuth credential) {
    writeCallFields(out, xid, RPC_VERSION, procedure.program(), procedure.version(),
        procedure.number(), credential);
  }

  private static void writeCallFields(XdrWriter out, int xid, int rpcVersion, int program,
      int version, int procedure, OpaqueAuth credential) {
    out.writeUnsignedInt(xid);
    out.writeEnum(CALL);
    out.writeUnsignedInt(rpcVersion);
    out.writeUnsignedInt(program);
    out.writeUnsignedInt(version);
    out.writeUnsignedInt(procedure);
    credential.encode(out);
  }


  /**
   * Reads the part of a call that follows its xid and msg_type; the reader is left at the
   * arguments. The RPC version is returned as sent, for the server to check.
   */
  public static CallHeader readCallBody(XdrReader in, int xid) {
    int rpcVersion = in.readUnsignedInt();
    int program = in.readUnsignedInt();
    int version = in.readUnsignedInt();
    int procedure = in.readUnsignedInt();
    OpaqueAuth credential = OpaqueAuth.decode(in);
    OpaqueAuth verifier = OpaqueAuth.decode(in);
    return new CallHeader(xid, rpcVersion, program, version, procedure, credential, verifier);
  }

  /** Reads a whole call header (xid first); a message that is not a call is malformed here. */
  public static CallHeader readCall(XdrReader in) {
    int xid = in.readUnsignedInt();
    int type = in.readEnum();
    if (type != CALL) {
      throw in.malformed("expected a call message, got msg_type " + type);
    }
    return readCallBody(in, xid);
  }

  /** Writes the header of a successful accepted reply with an AUTH_NONE verifier; results follow. */
  public static void writeSuccessHeader(XdrWriter out, int xid) {
    writeSuccessHeader(out, xid, OpaqueAuth.NONE);
  }

  /** Writes the header of a successful accepted reply; results follow. */
  public static void writeSuccessHeader(XdrWriter out, int xid, OpaqueAuth verifier) {
    out.writeUnsignedInt(xid);
    out.writeEnum(REPLY);
    out.writeEnum(MSG_ACCEPTED);
    verifier.encode(out);
    out.writeEnum(RpcStatus.SUCCESS.wireValue());
  }

  /** Writes any reply header; for SUCCESS the results are written after it. */
  public static void writeReply(XdrWriter out, ReplyHeader reply) {
    out.writeUnsignedInt(reply.xid());
    out.writeEnum(REPLY);
    RpcStatus status = reply.status();
    if (status.kind() == RpcStatus.Kind.ACCEPTED) {
      out.writeEnum(MSG_ACCEPTED);
      reply.verifier().encode(out);
      out.writeEnum(status.wireValue());
      if (status == RpcStatus.PROG_MISMATCH) {
        out.writeUnsignedInt(reply.low());
        out.writeUnsignedInt(reply.high());
      }
    } else {
      out.writeEnum(MSG_DENIED);
      out.writeEnum(status.wireValue());
      if (status == RpcStatus.RPC_MISMATCH) {
        out.writeUnsignedInt(reply.low());
        out.writeUnsignedInt(reply.high());
      } else {
        // As sent, so that a header reads back as written, a reason Onyx does not know included.
        out.writeEnum(reply.authStatValue());
      }
    }
  }

  /** Reads the part of a reply that follows its xid and msg_type; the reader is left at the results. */
  public static ReplyHeader readReplyBody(XdrReader in, int xid) {
    int replyStat = in.readEnum();
    switch (replyStat) {
      case MSG_ACCEPTED -> {
        OpaqueAuth verifier = OpaqueAuth.decode(in);
        int value = in.readEnum();
        RpcStatus status = RpcStatus.accepted(value);
        if (status == null) {
          throw in.malformed("unknown accept_stat " + value);
        }
        if (status == RpcStatus.PROG_MISMATCH) {
          int low = in.readUnsignedInt();
          int high = in.readUnsignedInt();
          return new ReplyHeader(xid, status, verifier, low, high, AuthStatus.AUTH_OK);
        }
        return new ReplyHeader(xid, status, verifier, 0, 0, AuthStatus.AUTH_OK);
      }
      case MSG_DENIED -> {
        int rejectStat = in.readEnum();
        if (rejectStat == RpcStatus.RPC_MISMATCH.wireValue()) {
          int low = in.readUnsignedInt();
          int high = in.readUnsignedInt();
          return ReplyHeader.rpcMismatch(xid, low, high);
        }
        if (rejectStat == RpcStatus.AUTH_ERROR.wireValue()) {
          // AUTH_OK is success, no reason to refuse: like a value no RFC defines, "reason
          // unknown" (AUTH_FAILED), the number sent kept for the caller to see.
          return ReplyHeader.authError(xid, in.readEnum());
        }
        throw in.malformed("unknown reject_stat " + rejectStat);
      }
      default -> throw in.malformed("unknown reply_stat " + replyStat);
    }
  }

  /** Reads a whole reply header (xid first); a message that is not a reply is malformed here. */
  public static ReplyHeader readReply(XdrReader in) {
    int xid = in.readUnsignedInt();
    int type = in.readEnum();
    if (type != REPLY) {
      throw in.malformed("expected a reply message, got msg_type " + type);
    }
    return readReplyBody(in, xid);
  }
}
