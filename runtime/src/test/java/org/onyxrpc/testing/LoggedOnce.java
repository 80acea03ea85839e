package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a child JVM's log says of a failure that lasts (an accept at the descriptor limit). */
public final class LoggedOnce {
  private LoggedOnce() {}

  /**
   * Asserts that {@code log} holds exactly one line with {@code text}, no stack trace, and no
   * line of Netty's pipeline end ("An exceptionCaught() event was fired, and it reached at the
   * tail of the pipeline"), which repeats itself for as long as the failure lasts.
   *
   * @param log the child's log file
   * @param text what the one line says
   * @throws IOException if the log cannot be read
   */
  public static void assertToldOnce(Path log, String text) throws IOException {
    List<String> lines = Files.readAllLines(log);
    String all = String.join("\n", lines);
    assertEquals(List.of(), lines.stream()
        .filter(line -> line.startsWith("\tat ") || line.contains("exceptionCaught")).toList(), all);
    assertEquals(1, lines.stream().filter(line -> line.contains(text)).count(), all);
  }
}
