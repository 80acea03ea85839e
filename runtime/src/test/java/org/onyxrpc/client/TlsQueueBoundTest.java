package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsQueueBound} on its own, in front of what reads behind it: no TLS engine lets a flood
 * reach it reliably in a test (the JDK's is given up by TlsNoDataBound after 64 key updates;
 * BoringSSL stops 33 in a row itself; how much the socket takes of the answers decides the
 * rest), yet it is what bounds the answers when a server interleaves its key updates with data,
 * which resets both counts. Writes left unflushed stand for the answers the socket did not take.
 */
class TlsQueueBoundTest {
  @Test
  void readsGoOnWhileNoMoreThanTheBoundWaitsAndStopAtTheFirstByteOver() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Behind behind = new Behind();
    try {
      channel.write(Unpooled.wrappedBuffer(new byte[600])); // not flushed: it waits
      long queued = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
      channel.pipeline().addLast(new TlsQueueBound(queued), behind);

      ByteBuf first = Unpooled.wrappedBuffer(new byte[10]);
      channel.writeInbound(first);
      assertEquals(List.of(first), behind.reads, "at the bound the read goes on");
      assertTrue(behind.failures.isEmpty());

      channel.write(Unpooled.wrappedBuffer(new byte[1]));
      ByteBuf second = Unpooled.wrappedBuffer(new byte[10]);
      ByteBuf third = Unpooled.wrappedBuffer(new byte[10]);
      channel.writeInbound(second);
      channel.writeInbound(third);
      assertEquals(1, behind.reads.size(), "over the bound no read goes on");
      assertEquals(0, second.refCnt(), "the read it stopped was released");
      assertEquals(0, third.refCnt(), "so was the one after");
      assertEquals(1, behind.failures.size(), "the connection is told once: " + behind.failures);
      String message = behind.failures.get(0).getMessage();
      assertTrue(message.contains("bytes wait to be written, over the " + queued), message);
    } finally {
      behind.reads.forEach(ByteBuf::release);
      channel.finishAndReleaseAll();
    }
  }

  /** Takes what the bound passes on, and what it reports. */
  private static final class Behind extends ChannelInboundHandlerAdapter {
    final List<ByteBuf> reads = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      reads.add((ByteBuf) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.add(cause);
    }
  }
}
