package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * What a client can tell of a GARBAGE_ARGS reply, whose wire form says nothing of why: whether the
 * fault is the client's own codec, found by reading back the arguments it sent, or lies between
 * client and server. Runs only on that failure, so the extra encode and decode cost no call that
 * succeeds.
 */
final class RefusedArguments {
  private RefusedArguments() {}

  /**
   * The exception for {@code procedure}'s GARBAGE_ARGS reply to a call with {@code args} from
   * {@code server} (as a log line names it: {@code tcp 10.0.0.7:4711}).
   */
  static <A> RpcException exception(Procedure<A, ?> procedure, A args, String server) {
    ReadBack readBack = readBack(procedure.arguments(), args);
    String why = readBack.fault() != null
        ? "this client's codec is at fault: " + readBack.fault()
        : "this client reads back what it sent, so the server reads these arguments otherwise: "
            + "its implementation found their values invalid, they are past a limit of its"
            + " decoder, or it is built from another version of the IDL (version skew)"
            + (readBack.tooDeep() ? " (these are nested deeper than " + XdrLimits.DEFAULT_MAX_DEPTH
                + ", the most an Onyx server reads by default: RpcServerBuilder.maxDecodeDepth)" : "");
    return RpcException.fromReply(ReplyHeader.accepted(0, RpcStatus.GARBAGE_ARGS), "server "
        + server + " refused the arguments of " + procedure.describe()
        + " (GARBAGE_ARGS) and did not carry out the call; " + why
        + ". The call may be sent again, but these arguments will be refused again"
        + (readBack.fault() != null ? ""
            : " (if their values are valid: are client and server built from the same IDL?)"));
  }

  /**
   * What reading back the arguments found: the client codec's fault, or null; and whether they
   * nest deeper than a reader with the default limits takes (valid XDR past a limit: no fault).
   */
  private record ReadBack(String fault, boolean tooDeep) {
    static final ReadBack CLEAN = new ReadBack(null, false);

    static ReadBack fault(String fault) {
      return new ReadBack(fault, false);
    }
  }

  /**
   * Why the client's own codec cannot stand for {@code args}: encoded, they do not decode, or
   * decode to values that encode otherwise; none if they read back as they were written.
   */
  private static <A> ReadBack readBack(XdrCodec<A> codec, A args) {
    ByteBuf sent = Unpooled.buffer();
    ByteBuf again = Unpooled.buffer();
    try {
      try {
        codec.encode(new XdrWriter(sent), args);
      } catch (RuntimeException e) {
        return ReadBack.fault("it cannot encode the arguments again (" + e.getMessage() + ")");
      }
      A read;
      try {
        read = new XdrReader(sent.duplicate()).readWhole(codec);
      } catch (XdrException e) {
        return e.nestedTooDeep() ? new ReadBack(null, true)
            : ReadBack.fault("it cannot decode the arguments it encodes (" + e.getMessage() + ")");
      } catch (RuntimeException e) {
        return ReadBack.fault("it cannot decode the arguments it encodes (" + e.getMessage() + ")");
      }
      try {
        codec.encode(new XdrWriter(again), read);
      } catch (RuntimeException e) {
        return ReadBack.fault("it cannot encode the arguments it decodes (" + e.getMessage() + ")");
      }
      return ByteBufUtil.equals(sent, again) ? ReadBack.CLEAN
          : ReadBack.fault("the arguments it encodes decode to values it encodes otherwise");
    } finally {
      sent.release();
      again.release();
    }
  }
}
