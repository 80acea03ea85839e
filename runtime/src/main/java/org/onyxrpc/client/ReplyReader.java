package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordTooLongException;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a reply and completes the call awaiting its xid: on the thread that read it if it may
 * own the client's calls, else on their owner.
 */
final class ReplyReader {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyReader.class);
  private static final Runnable NOTHING = () -> {};

  private ReplyReader() {}

  /**
   * As {@link #dispatch}, for a record read from a stream. A record too short for an xid (RFC
   * 5531 §9: a reply begins with one) answers no call, and no server sends one: the stream is
   * not RPC, so the connection is given up, and its calls learn at once that they may have run
   * rather than each waiting for its deadline. A datagram is dropped instead: anyone may send one.
   *
   * @throws CorruptedFrameException for such a record
   */
  static void dispatchRecord(ConnectionSetup setup, ByteBuf record) {
    requireXid(setup, record);
    dispatch(setup, record);
  }

  /** @throws CorruptedFrameException for a record from a stream too short for an xid */
  static void requireXid(ConnectionSetup setup, ByteBuf record) {
    if (record.readableBytes() < Integer.BYTES) {
      throw new CorruptedFrameException("a record of " + record.readableBytes() + " bytes from "
          + setup.peer() + ", too short for an xid");
    }
  }

  /** Completes the call {@code message} answers; drops it if none awaits it. Does not release it. */
  static void dispatch(ConnectionSetup setup, ByteBuf message) {
    if (!dispatchIfOwnerFree(setup, message)) {
      dispatchLater(setup, message.retainedSlice(), NOTHING); // the owner completes the call
    }
  }

  /**
   * Hands {@code held}, released here, to the owner that another thread is now: it completes the
   * call {@code held} answers later, then runs {@code taken} (a reader's count of what waits).
   */
  static void dispatchLater(ConnectionSetup setup, ByteBuf held, Runnable taken) {
    setup.owner().execute(() -> {
      try {
        dispatchOwned(setup, held);
      } finally {
        held.release();
        taken.run();
      }
    });
  }

  /**
   * As {@link #dispatch}, on this thread, if it may own the client's calls now; false, and
   * {@code message} untouched, if another thread owns them.
   */
  static boolean dispatchIfOwnerFree(ConnectionSetup setup, ByteBuf message) {
    CallOwner owner = setup.owner();
    if (!owner.tryEnter()) {
      return false;
    }
    try {
      dispatchOwned(setup, message);
    } finally {
      owner.exit();
    }
    return true;
  }

  /** On the owner: completes the call {@code message} answers, or drops it. */
  private static void dispatchOwned(ConnectionSetup setup, ByteBuf message) {
    // Read to its end before the call completes (a completion may run a callback that reads
    // the next reply with the same reader); dropped after, so as not to keep the record.
    XdrReader in = setup.calls().replyReader(message);
    try {
      int xid = in.readUnsignedInt();
      PendingCall<?, ?> call = setup.calls().take(xid);
      // A call cancelled on another thread is forgotten on the owner, which may read its reply
      // first: late all the same.
      if (call == null || call.isDone()) {
        setup.calls().counters.lateReplies.increment();
        LOG.debug("dropping a reply from {} with no call awaiting xid {}", setup.peer(),
            Integer.toHexString(xid));
        return;
      }
      ReplyHeader reply;
      try {
        if (in.readEnum() != RpcMessages.REPLY) {
          throw in.malformed("not a reply message");
        }
        reply = RpcMessages.readReplyBody(in, xid);
      } catch (XdrException e) {
        call.fail(RpcStatus.INTERNAL, "malformed reply from " + setup.peer() + " to "
            + call.procedure.describe() + ": " + e.getMessage(), e);
        return;
      }
      ReplyTag tag = ReplyTag.of(reply.verifier());
      boolean unknown = false;
      if (tag != null) {
        setup.calls().heard(tag);
        // A server says so only of a retransmission (DuplicateRequestCache): of a call sent
        // once, the flag is false, and the reply the SYSTEM_ERR it says.
        unknown = tag.outcomeUnknown() && reply.status() == RpcStatus.SYSTEM_ERR
            && call.attempt > 1;
        if (unknown) {
          setup.calls().counters.outcomeUnknown.increment();
          setup.calls().outcomeUnknownReplies.info(LOG, "{} to {}: outcome unknown after {} attempts",
              call.procedure.describe(), setup.peer(), call.attempt);
        }
      } else if (call.tagged() && reply.status() == RpcStatus.SUCCESS && setup.calls().serverTags()) {
        // An Onyx server tags every success it sends a tagged call: this server does not filter
        // duplicates (another took the address, a C server say), whatever the one before said.
        LOG.info("{} answered a tagged call untagged: it does not filter duplicates, so at-most-once"
            + " calls to it are sent once from now on", setup.peer());
        setup.calls().heardUntagged();
      }
      call.complete(reply, in, unknown, setup);
    } catch (XdrException e) {
      RateLimitedLog.debugOneLine(LOG, "dropping a malformed reply from {}: {}", setup.peer(),
          e.getMessage());
    } finally {
      in.reset(Unpooled.EMPTY_BUFFER);
    }
  }

  /**
   * Before the connection closes on a reply too long for this client: ends, with {@code
   * INTERNAL}, the call whose xid it carries, as a reply would. Retransmitting it would only
   * have the server run it again and send the same reply. Ordered before the loss, which the
   * owner is told of after this.
   */
  static void replyTooLong(ConnectionSetup setup, RecordTooLongException tooLong) {
    setup.owner().execute(() -> replyTooLongOwned(setup, tooLong));
  }

  private static void replyTooLongOwned(ConnectionSetup setup, RecordTooLongException tooLong) {
    failTooLong(setup, tooLong.xid(), tooLong.size(), tooLong.maxRecordBytes(), "maxRecordBytes",
        tooLong);
  }

  /**
   * A reply datagram longer than this client takes. The kernel cuts a datagram to the buffer
   * without a word, so the readers take one byte more than the most, and a datagram that fills
   * it is this. Ends, with {@code INTERNAL}, the call whose xid it carries, as a record too long
   * does over TCP; before, the cut reply failed to decode, with a message that blamed the IDL.
   */
  static void datagramTooLong(ConnectionSetup setup, ByteBuf datagram) {
    int xid = datagram.getInt(datagram.readerIndex());
    int size = datagram.readableBytes();
    int max = setup.maxMessageBytes();
    setup.owner().execute(() -> failTooLong(setup, xid, size, max, "maxDatagramBytes", null));
  }

  private static void failTooLong(ConnectionSetup setup, int xid, long atLeast, int max,
      String setting, Throwable cause) {
    PendingCall<?, ?> call = setup.calls().take(xid);
    if (call == null || call.isDone()) {
      setup.calls().counters.lateReplies.increment();
      return;
    }
    call.fail(RpcStatus.INTERNAL, call.procedure.describe() + " ran, but its reply from "
        + setup.peer() + " of at least " + atLeast + " bytes exceeds the maximum of " + max
        + " this client takes (RpcClientBuilder." + setting + ")", cause);
  }
}
