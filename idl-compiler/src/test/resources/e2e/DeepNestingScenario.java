package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A type that holds itself through an array or a union arm, nested 100,000 deep by a peer (8
 * bytes a level), is refused by the reader's depth limit with an XdrException; without it the
 * generated decoder recursed into a StackOverflowError. Trees as deep as the limit still decode.
 * (Lists, linked through {@code T *} or {@code T **}, decode in a loop: LongListScenario.)
 */
public final class DeepNestingScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        check();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "small-stack", 1024 * 1024);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("deep nesting", failure.get());
    }
    return "ok";
  }

  private static void check() {
    // Tree: value, then one child, 100,000 times; the last has none.
    assertRefused(Tree.CODEC, 100_000, (buf, last) -> buf.writeInt(7).writeInt(last ? 0 : 1));
    // Expr: kind 1 with one argument, 100,000 times; then a leaf.
    assertRefused(Expr.CODEC, 100_000, (buf, last) -> {
      if (last) {
        buf.writeInt(0).writeInt(42);
      } else {
        buf.writeInt(1).writeInt(1);
      }
    });
    // As deep as the limit allows: it decodes, and encodes to the same bytes.
    Tree tree = new Tree(0, List.of());
    for (int i = 1; i < XdrLimits.DEFAULT_MAX_DEPTH; i++) {
      tree = new Tree(i, List.of(tree));
    }
    assertRoundTrips(Tree.CODEC, tree);
  }

  private static <T> void assertRoundTrips(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      assertEquals(value, codec.decode(new XdrReader(buf)));
    } finally {
      buf.release();
    }
  }

  interface Level {
    void write(ByteBuf buf, boolean last);
  }

  private static void assertRefused(XdrCodec<?> codec, int depth, Level level) {
    ByteBuf buf = Unpooled.buffer();
    try {
      for (int i = 0; i < depth; i++) {
        level.write(buf, i == depth - 1);
      }
      XdrException e = assertThrows(XdrException.class, () -> codec.decode(new XdrReader(buf)));
      assertEquals("data nested deeper than " + XdrLimits.DEFAULT_MAX_DEPTH, e.getMessage());
    } finally {
      buf.release();
    }
  }
}
