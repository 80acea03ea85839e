package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which calls an event-loop connection handed to its channel never left, told by the one promise
 * of its writes as Netty settles it: those of messages the channel took are not; those of messages
 * still unflushed when it closed, or handed after (found closed), are; the message the socket took
 * part of is not.
 */
class UnwrittenCallsTest {
  private final AtomicInteger failures = new AtomicInteger();
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.incrementAndGet(); // what the connection logs and closes on
    }
  });
  private final UnwrittenCalls unwritten = new UnwrittenCalls(channel);

  private void write(int... xids) {
    for (int xid : xids) {
      unwritten.add(xid);
    }
    channel.write(Unpooled.buffer().writeZero(64), unwritten);
    unwritten.handed();
  }

  @Test
  void callsOfMessagesNotTakenNeverLeft() {
    write(1);
    write(2, 3); // a batch
    channel.flush(); // the channel takes both whole
    write(4); // unflushed when it closes
    channel.close();
    write(5); // found closed
    assertFalse(unwritten.neverLeft(1));
    assertFalse(unwritten.neverLeft(2));
    assertFalse(unwritten.neverLeft(3));
    assertTrue(unwritten.neverLeft(4), "unflushed at the close");
    assertTrue(unwritten.neverLeft(5), "handed after the close");
    assertFalse(unwritten.neverLeft(6), "never handed to this channel");
    // As a void promise tells them: the one failed at the close; not the one handed after, when
    // the channel is no longer registered.
    assertEquals(1, failures.get(), "the failures told to the pipeline");
    channel.releaseOutbound();
  }

  @Test
  void aMessageTheSocketTookPartOfMayHaveRun() {
    write(1);
    channel.flush();
    write(2, 3);
    write(4);
    unwritten.tryProgress(10, 128); // as the socket's writer tells of the head when it took part of it
    channel.close();
    assertFalse(unwritten.neverLeft(1));
    assertFalse(unwritten.neverLeft(2), "in the message the socket took part of");
    assertFalse(unwritten.neverLeft(3), "in the message the socket took part of");
    assertTrue(unwritten.neverLeft(4), "behind it");
    channel.releaseOutbound();
  }
}
