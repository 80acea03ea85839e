package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection closing behind a large reply is closed as stalled only when its peer takes nothing
 * of it for a period, not while the peer reads it steadily: Netty counts a message's bytes as
 * pending until the last of them is written, so progress is read within the message too. Time is
 * the embedded loop's, advanced by hand.
 */
class StalledPeerCloseTest {
  private static final Duration PERIOD = Duration.ofSeconds(2);
  private static final int REPLY_BYTES = 1 << 20;
  private static final int TAKEN_PER_FLUSH = 64 * 1024;

  /** A channel whose peer takes {@link #TAKEN_PER_FLUSH} bytes of what waits at each flush. */
  private static final class SlowReaderChannel extends EmbeddedChannel {
    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
      if (in.current() != null) {
        in.removeBytes(Math.min(TAKEN_PER_FLUSH, in.totalPendingWriteBytes() - in.currentProgress()));
      }
    }
  }

  @Test
  void aPeerReadingALargeReplySteadilyIsNotTakenForStalled() {
    SlowReaderChannel channel = new SlowReaderChannel();
    channel.freezeTime();
    try {
      channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[REPLY_BYTES])); // one message
      StalledPeerClose.watch(channel, PERIOD);
      for (int period = 0; period < 3; period++) {
        channel.flush(); // the peer took some of the reply in this period
        channel.advanceTimeBy(PERIOD.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "closed as stalled in period " + period
            + " while its peer read the reply");
      }
      // The peer stops taking it: closed after one period.
      channel.advanceTimeBy(PERIOD.toNanos(), TimeUnit.NANOSECONDS);
      channel.runScheduledPendingTasks();
      assertFalse(channel.isOpen(), "a peer that took nothing for a period");
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
