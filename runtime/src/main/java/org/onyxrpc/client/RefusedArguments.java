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
    String fault = clientCodecFault(procedure.arguments(), args);
    String why = fault != null
        ? "this client's codec is at fault: " + fault
        : "this client reads back what it sent, so the server reads these arguments otherwise: "
            + "it is built from another version of the IDL (version skew), they are past a limit"
            + " of its decoder, or its implementation found their values invalid"
            + (nestedPastOnyxsDepth(procedure.arguments(), args) ? " (these are nested deeper than "
                + XdrLimits.DEFAULT_MAX_DEPTH + ", the most an Onyx server reads by default:"
                + " RpcServerBuilder.maxDecodeDepth)" : "");
    return RpcException.fromReply(ReplyHeader.accepted(0, RpcStatus.GARBAGE_ARGS), "server "
        + server + " refused the arguments of " + procedure.describe()
        + " (GARBAGE_ARGS) and did not carry out the call; " + why
        + ". The call may be sent again, but these arguments will be refused again"
        + " (are client and server built from the same IDL?)");
  }

  /** Whether {@code args}, encoded, nest deeper than a reader with the default limits takes. */
  private static <A> boolean nestedPastOnyxsDepth(XdrCodec<A> codec, A args) {
    ByteBuf sent = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(sent), args);
      new XdrReader(sent).readWhole(codec);
      return false;
    } catch (XdrException e) {
      return e.nestedTooDeep();
    } catch (RuntimeException e) {
      return false;
    } finally {
      sent.release();
    }
  }

  /**
   * Why the client's own codec cannot stand for {@code args}: encoded, they do not decode, or
   * decode to values that encode otherwise; null if they read back as they were written.
   */
  private static <A> String clientCodecFault(XdrCodec<A> codec, A args) {
    ByteBuf sent = Unpooled.buffer();
    ByteBuf again = Unpooled.buffer();
    try {
      try {
        codec.encode(new XdrWriter(sent), args);
      } catch (RuntimeException e) {
        return "it cannot encode the arguments again (" + e.getMessage() + ")";
      }
      A read;
      try {
        read = new XdrReader(sent.duplicate()).readWhole(codec);
      } catch (XdrException e) {
        if (e.nestedTooDeep()) {
          return null; // valid XDR past a reader's limit: told by the caller, not the codec's fault
        }
        return "it cannot decode the arguments it encodes (" + e.getMessage() + ")";
      } catch (RuntimeException e) {
        return "it cannot decode the arguments it encodes (" + e.getMessage() + ")";
      }
      try {
        codec.encode(new XdrWriter(again), read);
      } catch (RuntimeException e) {
        return "it cannot encode the arguments it decodes (" + e.getMessage() + ")";
      }
      return ByteBufUtil.equals(sent, again) ? null
          : "the arguments it encodes decode to values it encodes otherwise";
    } finally {
      sent.release();
      again.release();
    }
  }
}
