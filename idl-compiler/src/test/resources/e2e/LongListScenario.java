package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.example.e2e.shapes.Color;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A 100,000-node list of a self-recursive optional struct round-trips through the generated
 * codec, and compares with equals, hashCode and toString, on a thread with a 128 KiB stack: a
 * recursive codec (or a record's own equals) would need megabytes of stack. So does a list linked
 * through optional data of optional data (T **), written by a peer too.
 */
public final class LongListScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    // A short round trip first, on this thread: loading and initialising the codecs' classes (the
    // generated ones, the reader's, Netty's) takes more than 128 KiB of stack by itself, which the
    // small-stack thread, when it was the first to use them, ran out of before any list.
    roundTrip(2);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        roundTrip(100_000);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "small-stack", 128 * 1024);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("round trip failed", failure.get());
    }
    return "ok";
  }

  private static void roundTrip(int length) {
    Node head = null;
    for (int i = length; i >= 1; i--) {
      head = new Node(i, head);
    }
    ByteBuf buf = Unpooled.buffer();
    try {
      Node.CODEC.encode(new XdrWriter(buf), head);
      assertEquals(length * 8, buf.readableBytes());
      Node decoded = Node.CODEC.decode(new XdrReader(buf));
      int expected = 1;
      for (Node n = decoded; n != null; n = n.next()) {
        assertEquals(expected++, n.value());
      }
      assertEquals(length + 1, expected);
      assertEquals(head, decoded);
      assertEquals(head.hashCode(), decoded.hashCode());
      assertEquals(head.toString().length(), decoded.toString().length());
      assertEquals(false, head.equals(decoded.next()));
    } finally {
      buf.release();
    }
    assertEquals(0, buf.refCnt());
    chains(length);
    tagged(length);
  }

  /** Fields after the link that have no null: the decoder builds each node once, checked. */
  private static void tagged(int length) {
    Tagged head = null;
    for (int i = length; i >= 1; i--) {
      head = new Tagged("n" + i, head, "t" + i, i % 2 == 0 ? Color.RED : Color.BLUE);
    }
    ByteBuf buf = Unpooled.buffer();
    try {
      Tagged.CODEC.encode(new XdrWriter(buf), head);
      Tagged decoded = Tagged.CODEC.decode(new XdrReader(buf));
      assertEquals(0, buf.readableBytes());
      int expected = 1;
      for (Tagged t = decoded; t != null; t = t.next()) {
        assertEquals("n" + expected, t.name());
        assertEquals("t" + expected, t.tag());
        expected++;
      }
      assertEquals(length + 1, expected);
      assertEquals(head, decoded);
    } finally {
      buf.release();
    }
  }

  private static void chains(int length) {
    for (Optional<Chain> end : Arrays.asList(null, Optional.<Chain>empty())) {
      Chain head = new Chain(length, end, after(length));
      for (int i = length - 1; i >= 1; i--) {
        head = new Chain(i, Optional.of(head), after(i));
      }
      ByteBuf buf = Unpooled.buffer();
      try {
        Chain.CODEC.encode(new XdrWriter(buf), head);
        // value, outer flag, inner flag (the last node: one flag, or two), then the 'after's
        assertEquals(length * 16 - (end == null ? 4 : 0), buf.readableBytes());
        Chain decoded = Chain.CODEC.decode(new XdrReader(buf));
        int expected = 1;
        Chain last = null;
        for (Chain c = decoded; c != null; c = c.next() == null ? null : c.next().orElse(null)) {
          assertEquals(expected, c.value());
          assertEquals(after(expected), c.after());
          expected++;
          last = c;
        }
        assertEquals(length + 1, expected);
        assertEquals(end, last.next());
        assertEquals(head, decoded);
        assertEquals(head.hashCode(), decoded.hashCode());
        assertEquals(head.toString(), decoded.toString());
        assertEquals(false, head.equals(decoded.next().orElseThrow()));
      } finally {
        buf.release();
      }
    }
    // As a peer writes it: 100,000 links of two flags, the last a null pointer to a pointer.
    ByteBuf wire = Unpooled.buffer();
    try {
      for (int i = 0; i < length; i++) {
        wire.writeInt(i).writeInt(1).writeInt(i == length - 1 ? 0 : 1);
      }
      for (int i = 0; i < length; i++) {
        wire.writeInt(7);
      }
      Chain decoded = Chain.CODEC.decode(new XdrReader(wire));
      assertEquals(Optional.empty(), lastOf(decoded).next());
      assertEquals(0, wire.readableBytes());
    } finally {
      wire.release();
    }
  }

  /** A short for node {@code i}. */
  private static int after(int i) {
    return -(i % 32768);
  }

  private static Chain lastOf(Chain chain) {
    Chain c = chain;
    while (c.next() != null && c.next().isPresent()) {
      c = c.next().get();
    }
    return c;
  }
}
