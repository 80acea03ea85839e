package org.onyxrpc.examples.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the work queue over loopback and keeps the output its README shows honest. */
class WorkQueueDemoTest {
  static final String README_OUTPUT = """
      producers: queued 24 jobs on /jobs, urgent ones at priority 10, others at 1
      queue: 24 of 64 messages, at most 256 bytes each
      consumers: 3 consumers handled 24 jobs, each exactly once
      consumers: each saw every urgent job before any normal one: true
      queue: /jobs unlinked and closed: 0 queues left
      """;

  @Test
  void printsWhatTheReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WorkQueueDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(README_OUTPUT, bytes.toString(StandardCharsets.UTF_8));
  }
}
