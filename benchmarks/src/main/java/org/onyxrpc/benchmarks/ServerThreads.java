package org.onyxrpc.benchmarks;

import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which threads are a server's, for {@link AllocationSplitProfiler}: told by name, since a
 * profiler sees only the threads. Every server thread the benchmarks create or can name through
 * the library's own option starts with {@link #PREFIX}; the server threads of the libraries that
 * take no thread factory are matched by the names those libraries give them.
 */
final class ServerThreads {
  /** The name prefix of server threads that the benchmarks name. */
  static final String PREFIX = "server-";

  /** Server threads named by their library, which offers no way to name them. */
  private static final List<String> LIBRARY_PREFIXES = List.of(
      // Onyx: RpcServerBuilder takes an executor for procedures, but no thread factory or event
      // loop group for its I/O; these are its accept, I/O and procedure pools. (The client's
      // threads are its own: "onyx-client-io" event loops, "onyx-client-reader".)
      "onyx-server-",
      // JDK RMI (sun.rmi.transport.tcp.TCPTransport): the thread that reads and runs the calls of
      // one inbound connection, renamed "RMI TCP Connection(idle)" between connections, and the
      // listener. The client side of an RMI call runs on the caller's thread.
      "RMI TCP Connection(",
      "RMI TCP Accept-");

  private ServerThreads() {}

  /** True when a thread so named belongs to a server. */
  static boolean isServer(String threadName) {
    if (threadName.startsWith(PREFIX)) {
      return true;
    }
    for (String prefix : LIBRARY_PREFIXES) {
      if (threadName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code name} with the server prefix: for libraries that name threads themselves from it. */
  static String named(String name) {
    return PREFIX + name;
  }

  /** Daemon threads named {@code server-<name>-<n>}, n counting from 1. */
  static ThreadFactory factory(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, PREFIX + name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
