package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
    return encode(setup, call, alloc, false);
  }

  /**
   * As {@link #encode(ConnectionSetup, PendingCall, ByteBufAllocator)}; {@code byReference}: a
   * large array argument is wrapped, not copied ({@link XdrWriter#gatheringByReference}), for a
   * writer that copies the record to its socket at once and what the socket leaves before the
   * caller may change the array.
   */
  static ByteBuf encode(ConnectionSetup setup, PendingCall<?, ?> call, ByteBufAllocator alloc,
      boolean byReference) {
    // A record gathers a large opaque argument: copied once into a buffer of its own size, not
    // into one that doubles as it grows (copying what it holds each time), and written from there.
    XdrWriter out = !setup.transport().recordMarked() ? new XdrWriter(alloc.ioBuffer())
        : byReference ? XdrWriter.gatheringByReference(alloc.ioBuffer())
        : XdrWriter.gathering(alloc.ioBuffer());
    boolean encoded = false;
    try {
      encoded = encode(setup, call, out);
    } finally {
      if (!encoded) {
        out.buffer().release();
      }
    }
    return encoded ? out.buffer() : null;
  }

  /**
   * Encodes the call message into {@code out}'s buffer, at its writer index; false when the call
   * cannot be sent as it is, in which case the call has been failed and forgotten (the buffer is
   * the caller's, as it was).
   *
   * @throws IndexOutOfBoundsException when the buffer cannot grow to take the message, which
   *     leaves the call as it was: it may be encoded again into a larger buffer
   */
  static boolean encode(ConnectionSetup setup, PendingCall<?, ?> call, XdrWriter out) {
    ByteBuf message = out.buffer();
    int start = message.writerIndex();
    try {
      int mark = setup.transport().recordMarked() ? RecordMarking.begin(message) : -1;
      writeHeader(setup, call, out,
          call.retry != null ? call.retry.epochAtFirstSend : setup.calls().serverEpoch()); // one-shot
      encodeArguments(call, out);
      message = out.buffer(); // a gathering writer's is now a composite, if it took a large opaque
      if (mark >= 0) {
        RecordMarking.end(message, mark);
      }
    } catch (IndexOutOfBoundsException e) {
      if (message.maxCapacity() - start < setup.maxMessageBytes()) {
        throw e; // too large for this buffer, not for the transport
      }
      return failEncoding(setup, call, e);
    } catch (RuntimeException e) {
      return failEncoding(setup, call, e);
    } catch (StackOverflowError e) {
      // A value nested too deeply for this thread's stack (one that holds itself never ends): the
      // caller's fault as a codec's exception is, and it must not escape an event loop's task,
      // which would leave the call to its deadline and its half-written bytes in the batch.
      return failEncoding(setup, call, "its value is too deeply nested to encode on this"
          + " thread's stack (is it cyclic, an object that holds itself?)", e);
    }
    int length = message.writerIndex() - start;
    if (length > setup.maxMessageBytes()) {
      call.forget();
      // Which limit (the caller's own, which it may raise), and that nothing went out.
      call.fail(RpcStatus.RESOURCE_EXHAUSTED, call.procedure.describe() + " call of "
          + length + " bytes exceeds the " + setup.transport() + " maximum of "
          + setup.maxMessageBytes() + " (the client's "
          + (setup.transport().recordMarked() ? "maxRecordBytes" : "maxDatagramBytes")
          + "); not sent to " + setup.peer(), null);
      return false;
    }
    return true;
  }

  private static boolean failEncoding(ConnectionSetup setup, PendingCall<?, ?> call,
      RuntimeException e) {
    return failEncoding(setup, call, e.getMessage(), e);
  }

  private static boolean failEncoding(ConnectionSetup setup, PendingCall<?, ?> call, String why,
      Throwable e) {
    call.forget();
    // Named as every other failure names its server, so that a log line of several servers'
    // calls says which; and that nothing went out, so that the caller knows it did not run.
    call.fail(RpcStatus.INTERNAL, "cannot encode the arguments of "
        + call.procedure.describe() + " for server " + setup.peer() + ": " + why
        + "; not sent", e);
    return false;
  }

  /**
   * The bytes of {@code call}'s message before its arguments (header, credential, verifier with
   * its tag if it goes with one), as {@link #encode} writes them; for a failure's message only.
   */
  static int headerBytes(ConnectionSetup setup, PendingCall<?, ?> call) {
    XdrWriter out = new XdrWriter(Unpooled.buffer());
    try {
      writeHeader(setup, call, out, 0); // the epoch's value does not change the size
      return out.buffer().readableBytes();
    } finally {
      out.buffer().release();
    }
  }

  /** The call's header, credential and verifier (with its tag, if it goes with one). */
  private static void writeHeader(ConnectionSetup setup, PendingCall<?, ?> call, XdrWriter out,
      long epoch) {
    RpcMessages.writeCallUpToVerifier(out, call.xid, call.procedure,
        call.credential(setup));
    if (call.tagged()) {
      CallTag.writeVerifier(out, setup.clientHigh(), setup.clientLow(),
          call.semantics() == CallSemantics.AT_MOST_ONCE, call.attempt, epoch, metadata(setup, call));
    } else {
      OpaqueAuth.NONE.encode(out);
    }
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
