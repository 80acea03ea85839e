package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * While the unread-replies budget is spent, a reply handed over for a connection that is closed
 * already (the greediest, closed by an earlier charge) is dropped, not charged: workers that
 * finish calls of a connection just shed each charged a reply past the budget, up to 6 MiB over
 * a 16 MiB budget in {@code OffLoopUnreadRepliesTest}'s dedicated-thread run.
 */
class UnreadRepliesAdmitTest {
  @Test
  void aReplyForAConnectionClosedWhileTheBudgetIsSpentIsDroppedUncharged() {
    Connection greedy = new Connection(200);
    Connection other = new Connection(0);
    UnreadReplies replies = new UnreadReplies(100,
        new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), List.of(greedy, other));

    assertTrue(replies.admit(150, greedy), "charged: the budget was not spent before it");
    assertFalse(greedy.open(), "the charge spent the budget and closed the greediest");

    assertFalse(replies.admit(50, greedy), "its next reply is dropped");
    assertEquals(150, replies.held());
    assertEquals(150, replies.peak());

    assertTrue(replies.admit(10, other), "an open connection's reply is charged all the same");
    assertEquals(160, replies.held());
  }

  /** A connection with a thread of its own that holds {@code unsent} bytes its peer has not taken. */
  private static final class Connection implements LimitedConnection {
    private final long unsent;
    private volatile boolean open = true;

    Connection(long unsent) {
      this.unsent = unsent;
    }

    @Override
    public boolean open() {
      return open;
    }

    @Override
    public Object client() {
      return null;
    }

    @Override
    public AtomicBoolean counted() {
      return null;
    }

    @Override
    public boolean evictable() {
      return false;
    }

    @Override
    public boolean onlyRepliesUntaken() {
      return false;
    }

    @Override
    public boolean onlyWatchingCalls() {
      return false;
    }

    @Override
    public long behindMinimumRateSince(long now) {
      return -1;
    }

    @Override
    public long unsentReplies() {
      return unsent;
    }

    @Override
    public long lastReadNanos() {
      return 0;
    }

    @Override
    public boolean chosen() {
      return false;
    }

    @Override
    public void choose() {}

    @Override
    public SocketAddress remoteAddress() {
      return new InetSocketAddress(0);
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
