package org.onyxrpc.internal.transport;

import io.netty.util.NettyRuntime;
import io.netty.util.internal.SystemPropertyUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Netty's failure to open an event loop's descriptors, said as what to do. Each loop opens its
 * own (an epoll instance, an eventfd and a timerfd; a selector under NIO) when its group is made,
 * and a server's default is two loops a core: on a machine of 64 cores under a container's
 * {@code ulimit -n 256} the first server failed with Netty's "failed to create a child event
 * loop", a stack trace and "epoll_create1() failed: Too many open files" at its bottom.
 */
final class EventLoopStartFailure {
  private static final Path LIMITS = Path.of("/proc/self/limits");

  private EventLoopStartFailure() {}

  /**
   * {@code failure} as an {@link UncheckedIOException} that names the threads, the limit and the
   * way out when descriptors ran out; as it is otherwise.
   */
  static RuntimeException of(int threads, String name, RuntimeException failure) {
    if (!tooManyOpenFiles(failure)) {
      return failure;
    }
    int started = threads > 0 ? threads
        : Math.max(1, SystemPropertyUtil.getInt("io.netty.eventLoopThreads", NettyRuntime.availableProcessors() * 2));
    String limit = openFilesLimit();
    String message = "cannot start " + started + " I/O threads (" + name
        + "): Too many open files: each holds about 3 file descriptors"
        + (limit == null ? "" : ", and this process may open " + limit + " (ulimit -n)")
        + "; raise the limit, or start fewer threads (RpcServerBuilder.ioThreads, RpcClientBuilder.eventLoopGroup)";
    // The message its own, not "java.io.IOException: …", as a command prints getMessage().
    return new UncheckedIOException(message, new IOException(message, failure));
  }

  private static boolean tooManyOpenFiles(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }

  /** The soft limit of open files, from /proc/self/limits (Linux), or null. */
  private static String openFilesLimit() {
    try (BufferedReader in = Files.newBufferedReader(LIMITS)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("Max open files")) {
          String[] words = line.substring("Max open files".length()).trim().split("\\s+");
          return words.length > 0 ? words[0] : null;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the message goes without the number
    }
    return null;
  }
}
