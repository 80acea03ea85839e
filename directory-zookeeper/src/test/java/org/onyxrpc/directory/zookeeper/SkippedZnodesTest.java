package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warning about garbage under the directory's path: once, then at most once a minute, on a fake clock. */
class SkippedZnodesTest {
  @Test
  void warnsOnceAMinuteAtMost() {
    AtomicLong now = new AtomicLong(-5); // nanoTime may be negative
    SkippedZnodes skipped = new SkippedZnodes(now::get);
    assertFalse(skipped.endRead(), "a clean read says nothing");
    skipped.skip("/onyx/directory/x", "no data");
    skipped.skip("/onyx/directory/y", "no data");
    assertTrue(skipped.endRead());
    assertEquals(2, skipped.lastRead());
    for (int i = 0; i < 59; i++) {
      now.addAndGet(1_000_000_000L); // a read a second
      skipped.skip("/onyx/directory/x", "no data");
      assertFalse(skipped.endRead());
      assertEquals(1, skipped.lastRead());
    }
    now.addAndGet(1_000_000_000L);
    skipped.skip("/onyx/directory/x", "no data");
    assertTrue(skipped.endRead(), "a minute after the last warning");
    assertFalse(skipped.endRead());
    assertEquals(0, skipped.lastRead());
  }

  @Test
  void theExampleQuotedStaysOneLine() {
    String forged = "2026-12-03 01:00:00 [main] ERROR Forged - written by whoever can write to the ensemble";
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stderr = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      SkippedZnodes skipped = new SkippedZnodes(() -> 0);
      // StoredEntry.decode quotes the address for other machines that a znode's data holds.
      skipped.skip("/onyx/directory/h/20000101~1~tcp~x", "no address for other machines: 0.0.0.0.1.1\n" + forged);
      assertTrue(skipped.endRead());
    } finally {
      System.setErr(stderr);
    }
    String logged = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(logged.contains("no address for other machines: 0.0.0.0.1.1\\x0a" + forged), logged);
    assertTrue(logged.lines().noneMatch(line -> line.startsWith(forged)), logged);
  }
}
