package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes an interop test starts: build commands run in its work directory, their output
 * kept in {@code build.log}, and the C peers it waits for. {@link #close} ends whatever still runs,
 * so a failed test leaves no server behind.
 */
final class NativeCommands implements AutoCloseable {
  /** How long a build command or a C peer may take: generous, for a loaded machine. */
  static final long COMMAND_SECONDS = 120;

  private final Path work;
  private final List<Process> processes = new ArrayList<>();

  NativeCommands(Path work) {
    this.work = work;
  }

  /** Runs {@code command} in the work directory; fails unless it exits 0 in time. */
  void run(String... command) throws IOException, InterruptedException {
    Path log = work.resolve("build.log");
    Process process = start(new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
    finish(process, String.join(" ", command), log);
  }

  /** Starts {@code builder}'s process, which {@link #close} ends if it still runs. */
  Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Waits for {@code process} to exit 0; else fails, quoting {@code log}, what it wrote. */
  static void finish(Process process, String what, Path log)
      throws IOException, InterruptedException {
    if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(what + " did not finish in " + COMMAND_SECONDS + " s; output:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      fail(what + " exited with " + process.exitValue() + "; output:\n" + Files.readString(log));
    }
  }

  @Override
  public void close() {
    try {
      for (Process process : processes) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      processes.forEach(Process::destroyForcibly); // no more waiting: none is left running
      // Not thrown: a try-with-resources whose body failed would suppress it, and the interrupt
      // with it. The flag keeps it.
      Thread.currentThread().interrupt();
    }
    processes.clear();
  }
}
