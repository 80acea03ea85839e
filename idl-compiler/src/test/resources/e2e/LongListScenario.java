package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A 100,000-node list of a self-recursive optional struct round-trips through the generated
 * codec, and compares with equals, hashCode and toString, on a thread with a 128 KiB stack: a
 * recursive codec (or a record's own equals) would need megabytes of stack.
 */
public final class LongListScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        roundTrip();
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

  private static void roundTrip() {
    int length = 100_000;
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
  }
}
