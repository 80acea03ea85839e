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
   * The most bytes of a datagram that rpcgen's C servers read: libtirpc's {@code svcudp_create}
   * (what rpcgen's {@code main} calls) takes a buffer of {@code UDPMSGSIZE}, and decodes a larger
   * call cut short, so it answers GARBAGE_ARGS.
   */
  static final int C_SERVER_DATAGRAM_BYTES = 8800;

  /**
   * The exception for {@code procedure}'s GARBAGE_ARGS reply to a call with {@code args} from
   * {@code server} (as a log line names it: {@code tcp 10.0.0.7:4711}); {@code datagramHeaderBytes}
   * is the size of the call's message before its arguments if it went as a UDP datagram, else -1.
   */
  static <A> RpcException exception(Procedure<A, ?> procedure, A args, String server,
      int datagramHeaderBytes) {
    ReadBack readBack = readBack(procedure.arguments(), args);
    long datagram = datagramHeaderBytes < 0 ? -1 : datagramHeaderBytes + readBack.bytes();
    boolean pastCServers = readBack.fault() == null && datagram > C_SERVER_DATAGRAM_BYTES;
    String why = readBack.fault() != null
        ? "this client's codec is at fault: " + readBack.fault()
        : "this client reads back what it sent, so the server reads these arguments otherwise: "
            + (pastCServers ? "the call was a datagram of " + datagram + " bytes, and rpcgen's C "
                + "servers (libtirpc's svcudp_create) read at most " + C_SERVER_DATAGRAM_BYTES
                + " bytes of one, so such a server decodes it cut short; otherwise " : "")
            + "its implementation found their values invalid, they are past a limit of its"
            + " decoder, or it is built from another version of the IDL (version skew)"
            + (readBack.tooDeep() ? " (these are nested deeper than " + XdrLimits.DEFAULT_MAX_DEPTH
                + ", the most an Onyx server reads by default: RpcServerBuilder.maxDecodeDepth)" : "");
    return RpcException.fromReply(ReplyHeader.accepted(0, RpcStatus.GARBAGE_ARGS), "server "
        + server + " refused the arguments of " + procedure.describe()
        + " (GARBAGE_ARGS) and did not carry out the call; " + why
        + (pastCServers ? ". Send it over TCP (or give the C server larger buffers with"
            + " svcudp_bufcreate); over UDP these arguments will be refused again"
            : ". The call may be sent again, but these arguments will be refused again"
                + (readBack.fault() != null ? ""
                    : " (if their values are valid: are client and server built from the same IDL?)")));
  }

  /**
   * What reading back the arguments found: the client codec's fault, or null; whether they nest
   * deeper than a reader with the default limits takes (valid XDR past a limit: no fault); and
   * how many bytes they encode to (0 if they cannot be encoded).
   */
  private record ReadBack(String fault, boolean tooDeep, int bytes) {
    static ReadBack fault(String fault, int bytes) {
      return new ReadBack(fault, false, bytes);
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
        return ReadBack.fault("it cannot encode the arguments again (" + e.getMessage() + ")", 0);
      }
      int bytes = sent.readableBytes();
      A read;
      try {
        read = new XdrReader(sent.duplicate()).readWhole(codec);
      } catch (XdrException e) {
        return e.nestedTooDeep() ? new ReadBack(null, true, bytes)
            : ReadBack.fault("it cannot decode the arguments it encodes (" + e.getMessage() + ")",
                bytes);
      } catch (RuntimeException e) {
        return ReadBack.fault("it cannot decode the arguments it encodes (" + e.getMessage() + ")",
            bytes);
      }
      try {
        codec.encode(new XdrWriter(again), read);
      } catch (RuntimeException e) {
        return ReadBack.fault("it cannot encode the arguments it decodes (" + e.getMessage() + ")",
            bytes);
      }
      return ByteBufUtil.equals(sent, again) ? new ReadBack(null, false, bytes)
          : ReadBack.fault("the arguments it encodes decode to values it encodes otherwise", bytes);
    } finally {
      sent.release();
      again.release();
    }
  }
}
