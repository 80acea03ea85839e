package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;

/** Encodes one transmission of a call, on the thread that sends it, straight into one buffer. */
final class CallWriter {
  private CallWriter() {}

  /**
   * The call message, record-marked over TCP; or null when the call cannot be sent as it is (its
   * arguments do not encode, or the message exceeds the transport's maximum), in which case the
   * call has been failed and forgotten.
   */
  static ByteBuf encode(ConnectionSetup setup, PendingCall<?, ?> call, ByteBufAllocator alloc) {
    ByteBuf message = alloc.ioBuffer();
    try {
      int mark = setup.transport().recordMarked() ? RecordMarking.begin(message) : -1;
      XdrWriter out = new XdrWriter(message);
      RpcMessages.writeCallUpToVerifier(out, call.xid, call.procedure, setup.credential());
      if (call.tagged()) {
        CallTag.writeVerifier(out, setup.clientHigh(), setup.clientLow(),
            call.semantics == CallSemantics.AT_MOST_ONCE, call.attempt,
            call.retry != null ? call.retry.epochAtFirstSend : setup.calls().serverEpoch(), // one-shot
            metadata(setup, call));
      } else {
        OpaqueAuth.NONE.encode(out);
      }
      encodeArguments(call, out);
      if (mark >= 0) {
        RecordMarking.end(message, mark);
      }
    } catch (RuntimeException e) {
      message.release();
      call.forget();
      call.fail(RpcStatus.INTERNAL, "cannot encode the arguments of "
          + call.procedure.describe() + ": " + e.getMessage(), e);
      return null;
    }
    if (message.readableBytes() > setup.maxMessageBytes()) {
      call.forget();
      call.fail(RpcStatus.RESOURCE_EXHAUSTED, call.procedure.describe() + " call of "
          + message.readableBytes() + " bytes exceeds the " + setup.transport() + " maximum of "
          + setup.maxMessageBytes(), null);
      message.release();
      return null;
    }
    return message;
  }

  /** The call's metadata, for a server that has said it reads metadata; else null. */
  private static CallMetadata metadata(ConnectionSetup setup, PendingCall<?, ?> call) {
    ClientCall observed = call.observed;
    return observed != null && setup.calls().serverReadsMetadata() ? observed.metadataToSend() : null;
  }

  private static <A> void encodeArguments(PendingCall<A, ?> call, XdrWriter out) {
    call.procedure.arguments().encode(out, call.args);
  }
}
