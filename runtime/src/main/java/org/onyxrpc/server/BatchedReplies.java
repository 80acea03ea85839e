package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.internal.transport.WriteBatch;

/**
 * A record-marked connection's replies on their way out. Replies made on the event loop during
 * a read are encoded one after another into one {@link WriteBatch}, written and flushed once at
 * the end of the read; any other reply (made on another thread, or between reads) is written and
 * flushed alone; one made on another thread is charged to the budget for unread replies as it is
 * handed over ({@link HandedOverReplies}). Touched on the event loop, but for the replies written
 * alone.
 */
final class BatchedReplies {
  private final Channel channel;
  private final HandedOverReplies handedOver; // null: replies made off the loop go uncharged
  private final WriteBatch batch = new WriteBatch();
  private int openReply = -1; // where the reply being encoded into the batch begins, or -1
  private boolean flushPending;

  BatchedReplies(Channel channel, HandedOverReplies handedOver) {
    this.channel = channel;
    this.handedOver = handedOver;
  }

  /** A buffer for one reply, its record mark reserved: in the batch while {@code reading}. */
  ByteBuf newReply(boolean reading) {
    if (channel.eventLoop().inEventLoop() && reading) {
      ByteBuf buffer = batch.buffer(channel.alloc());
      if (openReply >= 0) {
        batch.cut(openReply); // begun and never sent: its encoding failed
      }
      openReply = RecordMarking.begin(buffer);
      return buffer;
    }
    ByteBuf reply = channel.alloc().ioBuffer();
    RecordMarking.begin(reply);
    return reply;
  }

  /** Ends the reply's record and sends it: with the batch, or at once. */
  void send(ByteBuf reply, boolean reading) {
    if (channel.eventLoop().inEventLoop() && openReply >= 0) {
      RecordMarking.end(reply, openReply);
      openReply = -1;
      if (!batch.holds(reply)) {
        // A gathering writer made the batch a composite with the reply's large pieces.
        batch.handedOver();
        channel.write(reply, channel.voidPromise());
        flushPending = true;
      } else if (batch.full()) {
        writeBatch();
      }
      return;
    }
    RecordMarking.end(reply, 0);
    if (!channel.eventLoop().inEventLoop()) {
      if (handedOver != null) {
        handedOver.writeAndFlush(channel, reply); // charged before it is queued: it may wait there long
      } else {
        channel.writeAndFlush(reply, channel.voidPromise());
      }
    } else if (reading) {
      channel.write(reply, channel.voidPromise());
      flushPending = true;
    } else {
      channel.writeAndFlush(reply, channel.voidPromise());
    }
  }

  /** Drops a reply that will not be sent (its encoding failed, or the call chose none). */
  void discard(ByteBuf reply) {
    if (channel.eventLoop().inEventLoop() && openReply >= 0) {
      if (batch.holds(reply)) {
        batch.cut(openReply);
      } else { // a composite that took the batch: the replies before this one still go out
        if (openReply > 0) {
          channel.write(reply.retainedSlice(0, openReply), channel.voidPromise());
          flushPending = true;
        }
        reply.release();
        batch.handedOver();
      }
      openReply = -1;
      return;
    }
    reply.release();
  }

  /** At the end of a read: the batch written, and flushed if anything was written. */
  void flushAfterRead(ChannelHandlerContext ctx) {
    writeBatch();
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
  }

  /** Before a close: the batch handed to the channel, for the close's own flush to send. */
  void writeBeforeClose() {
    writeBatch();
    flushPending = false;
  }

  /** Once nothing reads or writes any more. */
  void release() {
    batch.release();
    openReply = -1;
  }

  /** On the event loop: hands the batch to the channel, to go with the next flush. */
  void writeBatch() {
    if (openReply >= 0) {
      batch.cut(openReply);
      openReply = -1;
    }
    if (batch.writeTo(channel)) {
      flushPending = true;
    }
  }
}
