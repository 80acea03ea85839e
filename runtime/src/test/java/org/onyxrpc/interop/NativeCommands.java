package org.onyxrpc.interop;

import java.io.IOException;
import java.nio.file.Path;
import org.onyxrpc.testing.ChildProcesses;

/**
 * The processes an interop test starts: build commands run in its work directory, their output
 * kept in {@code build.log}, and the C peers it waits for. {@link #close} ends whatever still runs,
 * so a failed test leaves no server behind.
 */
final class NativeCommands implements AutoCloseable {
  /** How long a build command or a C peer may take: generous, for a loaded machine. */
  static final long COMMAND_SECONDS = 120;

  private final Path work;
  private final ChildProcesses processes = new ChildProcesses();

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
    return processes.track(builder.start());
  }

  /** Waits for {@code process} to exit 0; else fails, quoting {@code log}, what it wrote. */
  static void finish(Process process, String what, Path log)
      throws IOException, InterruptedException {
    ChildProcesses.finish(process, what, log, COMMAND_SECONDS);
  }

  @Override
  public void close() {
    processes.close();
  }
}
