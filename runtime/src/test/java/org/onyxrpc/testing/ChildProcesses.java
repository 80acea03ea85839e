package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processes a test starts (C peers, build commands), ended when it closes. */
public final class ChildProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  /**
   * Keeps {@code process} to be ended by {@link #close} if it still runs then.
   *
   * @param process a process just started
   * @return {@code process}
   */
  public Process track(Process process) {
    processes.add(process);
    return process;
  }

  /**
   * Waits for {@code process} to exit 0; else fails, quoting {@code log}, what it wrote.
   *
   * @param process the process
   * @param what what it is, for the failure's message
   * @param log where its output went
   * @param seconds how long it may take
   * @throws IOException if the log cannot be read
   * @throws InterruptedException if interrupted while waiting
   */
  public static void finish(Process process, String what, Path log, long seconds)
      throws IOException, InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(what + " did not finish in " + seconds + " s; output:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      fail(what + " exited with " + process.exitValue() + "; output:\n" + Files.readString(log));
    }
  }

  /** Stops every process kept here and not finished yet. */
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
