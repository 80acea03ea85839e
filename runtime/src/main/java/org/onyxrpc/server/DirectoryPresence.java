package org.onyxrpc.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.onyxrpc.internal.directory.Announcement;
import org.onyxrpc.rpc.ProgramVersion;

/**
 * A started server's entries in its directory: registered at start and renewed while it runs
 * (an {@link Announcement}), withdrawn when it shuts down or, if its builder asked for {@code
 * withdrawOnExit}, when the JVM exits.
 */
final class DirectoryPresence {
  private final Announcement announcement;
  private final Thread withdrawOnExit; // null unless asked for

  private DirectoryPresence(Announcement announcement, Thread withdrawOnExit) {
    this.announcement = announcement;
    this.withdrawOnExit = withdrawOnExit;
  }

  /** Registers {@code programVersions} as served on {@code port} (0 for none) and the configured local places. */
  static DirectoryPresence announce(ServerConfig config, int port, List<ProgramVersion> programVersions) {
    Announcement announcement = Announcement.start(config.directory(),
        new InetSocketAddress(config.bindAddress().getAddress(), port), config.transports(),
        config.unixSocket(), programVersions, config.serviceNames(), config.directoryLease());
    Thread hook = null;
    if (config.withdrawOnExit()) {
      hook = new Thread(announcement::close, "onyx-withdraw-on-exit");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return new DirectoryPresence(announcement, hook);
  }

  /** Where the entries went, for the serving line ({@link Announcement#whereRegistered}). */
  String whereRegistered() {
    return announcement.whereRegistered();
  }

  /** Whether the entries have been registered, waiting up to {@code timeout}. */
  boolean awaitRegistered(Duration timeout) throws InterruptedException {
    return announcement.awaitRegistered(timeout);
  }

  /** Withdraws the entries and removes the exit hook, unless this is that hook running. */
  void withdraw() {
    announcement.close();
    if (withdrawOnExit != null && Thread.currentThread() != withdrawOnExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(withdrawOnExit);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs, and withdrawing twice is harmless
      }
    }
  }
}
