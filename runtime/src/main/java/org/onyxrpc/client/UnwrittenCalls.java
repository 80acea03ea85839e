package org.onyxrpc.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultChannelProgressivePromise;
import java.util.Arrays;

/**
 * Tells, once an event-loop stream connection is lost, which of the calls it handed to its
 * channel had not a byte on the socket: such a call cannot have run, and is not told it may have.
 *
 * <p>It is the promise of every message the connection writes, one for the connection's life, so
 * that a write allocates nothing; it is never done. Netty settles a channel's write promises in
 * the order of the writes: its {@code ChannelOutboundBuffer} takes entries off its head only,
 * {@code remove()} as the socket takes a message whole, {@code failFlushed()} and then {@code
 * close()} failing the rest in order when the channel closes (before {@code channelInactive}).
 * And before it removes the head entry, the socket having taken part of it, it tells that
 * entry's promise the progress ({@code removeBytes()}, and the NIO and epoll writers, call {@code
 * progress()}, which calls {@code tryProgress} on a {@link DefaultChannelProgressivePromise}).
 * The socket takes a prefix of the stream, so after a loss no byte of a message past the first
 * one not taken whole went out, nor of that one unless it progressed. Messages written with other
 * promises in between (a call that expects no reply) do not change that: they are not counted.
 *
 * <p>Each call is kept, by xid, with the number of the message it went in, until the socket took
 * that message whole; at most {@link #MAX_TRACKED} at once (a call beyond is not kept, and so is
 * told, as before, that it may have run). Event loop only; read by the owner after the loss.
 */
final class UnwrittenCalls extends DefaultChannelProgressivePromise {
  /** The most calls kept at once: 32 KiB of entries, reached only when as many are queued. */
  static final int MAX_TRACKED = 4096;

  private long[] entries = new long[16]; // a ring of (message number << 32 | xid), oldest first
  private int head;
  private int size;
  private int handed; // messages handed to the channel with this promise
  private int written; // of those, the ones the socket took whole: the first ones
  private boolean progressed; // the socket took part of message number `written`
  private int[] neverLeft; // once lost: the sorted xids whose messages had no byte out

  UnwrittenCalls(Channel channel) {
    super(channel);
  }

  /** A call with {@code xid} goes in the next message handed to the channel. */
  void add(int xid) {
    while (size > 0 && (int) (entries[head] >>> 32) - written < 0) { // taken whole: forgotten
      head = (head + 1) & (entries.length - 1);
      size--;
    }
    if (size == entries.length) {
      if (size == MAX_TRACKED) {
        return;
      }
      long[] larger = new long[size * 2]; // only while more are queued than ever before
      for (int i = 0; i < size; i++) {
        larger[i] = entries[(head + i) & (entries.length - 1)];
      }
      entries = larger;
      head = 0;
    }
    entries[(head + size) & (entries.length - 1)] = ((long) handed << 32) | (xid & 0xFFFFFFFFL);
    size++;
  }

  /** A message was handed to the channel with this promise: the calls added since went in it. */
  void handed() {
    handed++;
  }

  /**
   * Once the channel is closed (all its writes settled): whether the call with {@code xid},
   * added once, had no byte on the socket.
   */
  boolean neverLeft(int xid) {
    if (neverLeft == null) {
      int firstUnsent = written + (progressed ? 1 : 0);
      int[] xids = new int[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        long entry = entries[(head + i) & (entries.length - 1)];
        if ((int) (entry >>> 32) - firstUnsent >= 0) {
          xids[n++] = (int) entry;
        }
      }
      neverLeft = Arrays.copyOf(xids, n);
      Arrays.sort(neverLeft);
    }
    return Arrays.binarySearch(neverLeft, xid) >= 0;
  }

  @Override
  public boolean trySuccess(Void result) {
    written++; // the socket took the message whole
    progressed = false;
    return true; // as if settled: Netty logs a promise it could not settle
  }

  @Override
  public boolean trySuccess() {
    return trySuccess(null);
  }

  @Override
  public ChannelProgressivePromise setSuccess(Void result) {
    trySuccess(result);
    return this;
  }

  @Override
  public ChannelProgressivePromise setSuccess() {
    return setSuccess(null);
  }

  @Override
  public boolean tryProgress(long progress, long total) {
    progressed |= progress > 0;
    return true;
  }

  @Override
  public ChannelProgressivePromise setProgress(long progress, long total) {
    tryProgress(progress, total);
    return this;
  }

  /**
   * A message that did not go (all from the first after a loss): told to the pipeline, as the
   * channel's void promise tells it, for the connection to log and close.
   */
  @Override
  public boolean tryFailure(Throwable cause) {
    Channel c = channel();
    if (c.isRegistered()) {
      c.pipeline().fireExceptionCaught(cause);
    }
    return true;
  }

  @Override
  public ChannelProgressivePromise setFailure(Throwable cause) {
    tryFailure(cause);
    return this;
  }
}
