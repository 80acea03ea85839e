package org.onyxrpc.directory.zookeeper;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.directory.OptionValues;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * A standalone directory over ZooKeeper: {@code java -cp ... org.onyxrpc.directory.zookeeper.ZooKeeperDirectoryMain
 * --zookeeper zk1:2181,zk2:2181 [--base /onyx/directory] [--port N] [--bind ADDRESS]
 * [--advertise ADDRESS]... [--host-id ID] [--session-timeout SECONDS] [--max-staleness SECONDS]
 * [--allow-remote-registration]}. Run one on every machine (port 111 for C clients); they share one
 * directory. The ZooKeeper session timeout (default 60 s, bounded by the ensemble's own minimum and
 * maximum) is how long the other hosts keep listing a host that died or was cut off; the maximum
 * staleness (default 30 s, {@link ZooKeeperDirectoryStore.Builder#maxStaleness}) how long a host cut
 * off from ZooKeeper keeps answering with the other hosts' entries it last read. It listens only once ZooKeeper has
 * been reached (until then it prints that it waits, and refuses connections), then prints
 * {@code onyx directory on port N} and runs until stopped. Exit status 2 for bad arguments, 1 if
 * it cannot listen.
 */
public final class ZooKeeperDirectoryMain {
  /** Curator's own default, kept. */
  static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(15);

  private ZooKeeperDirectoryMain() {}

  /** What the command line asks for. */
  record Options(String connect, String base, int port, InetAddress bind, List<InetAddress> advertise,
      String hostId, Duration sessionTimeout, Duration maxStaleness, boolean remoteRegistration) {
    /** Who this host is: the advertised addresses if given, else its interfaces'. */
    HostIdentity host() {
      return HostIdentity.of(hostId, advertise);
    }
  }

  /**
   * Runs the directory until the process is stopped.
   *
   * @param args the options of the usage line above; a mistake prints the usage and exits with 2
   * @throws Exception if interrupted while waiting for ZooKeeper or for the stop (a port that
   *     cannot be bound prints why and exits with 1)
   */

  public static void main(String[] args) throws Exception {
    quietZooKeeperClient();
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("onyx directory: " + e.getMessage());
      System.err.println("usage: ZooKeeperDirectoryMain --zookeeper CONNECT [--base PATH] [--port N] [--bind ADDRESS]"
          + " [--advertise ADDRESS]... [--host-id ID] [--session-timeout SECONDS] [--max-staleness SECONDS]"
          + " [--allow-remote-registration]");
      System.exit(2);
      return;
    }
    CuratorFramework curator = curator(options);
    curator.start();
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(curator).basePath(options.base())
        .host(options.host()).maxStaleness(options.maxStaleness()).build();
    System.out.println("onyx directory: waiting for ZooKeeper at " + options.connect() + " as host "
        + store.host().describe());
    System.out.flush();
    while (!store.awaitReached(Duration.ofSeconds(10))) {
      System.out.println("onyx directory: still waiting for ZooKeeper at " + options.connect());
      System.out.flush();
    }
    LocalDirectory directory = new LocalDirectory(store);
    DirectoryServer server;
    try {
      DirectoryServer.Builder b = DirectoryServer.builder().directory(directory)
          .allowRemoteRegistration(options.remoteRegistration());
      server = (options.bind() == null ? b.port(options.port()) : b.bind(options.bind(), options.port())).build().start();
    } catch (IOException e) {
      System.err.println("onyx directory: " + e.getMessage());
      store.close();
      curator.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      directory.close();
      store.close();
      curator.close();
      stopped.countDown();
    }, "onyx-directory-shutdown"));
    System.out.println("onyx directory on port " + server.port());
    System.out.flush();
    stopped.await();
  }

  /** A ZooKeeper client as the options ask, not started. */
  static CuratorFramework curator(Options options) {
    return CuratorFrameworkFactory.builder().connectString(options.connect())
        .sessionTimeoutMs((int) options.sessionTimeout().toMillis())
        .connectionTimeoutMs((int) Math.min(CONNECTION_TIMEOUT.toMillis(), options.sessionTimeout().toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(500, 5)).build();
  }

  /** The options the arguments describe. */
  static Options parse(String[] args) {
    String connect = null;
    String base = "/onyx/directory";
    int port = Portmap.PORT;
    InetAddress bind = null;
    List<InetAddress> advertise = new ArrayList<>();
    String hostId = null;
    Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    Duration maxStaleness = Duration.ofSeconds(ZooKeeperDirectoryStore.DEFAULT_MAX_STALENESS_SECONDS);
    boolean remote = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--zookeeper" -> connect = OptionValues.value(args, ++i);
        case "--base" -> base = OptionValues.value(args, ++i);
        case "--port" -> port = OptionValues.port(OptionValues.value(args, ++i));
        case "--bind" -> bind = OptionValues.bindAddress(OptionValues.value(args, ++i));
        case "--advertise" -> advertise.add(address(OptionValues.value(args, ++i)));
        case "--host-id" -> hostId = OptionValues.value(args, ++i);
        case "--session-timeout" -> sessionTimeout = seconds("--session-timeout", OptionValues.value(args, ++i));
        case "--max-staleness" -> maxStaleness = seconds("--max-staleness", OptionValues.value(args, ++i));
        case "--allow-remote-registration" -> remote = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (connect == null) {
      throw new IllegalArgumentException("--zookeeper is required");
    }
    Options options = new Options(connect, base, port, bind, List.copyOf(advertise), hostId, sessionTimeout,
        maxStaleness, remote);
    if (!advertise.isEmpty()) {
      options.host(); // checks the addresses can be advertised
    }
    return options;
  }

  /**
   * The ZooKeeper client logs a warning with a stack trace at every reconnection attempt, and
   * Curator each state change: the store says once what each change means instead. An operator's
   * own {@code -Dorg.slf4j.simpleLogger.log...} settings win.
   */
  private static void quietZooKeeperClient() {
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.curator") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.curator", "error");
    }
    if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }
  }

  /**
   * Whole seconds, 1 to 3600 (for the session, the ensemble grants what lies within its bounds: 2
   * to 20 ticks by default).
   */
  private static Duration seconds(String option, String text) {
    int seconds;
    try {
      seconds = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes whole seconds, not " + text);
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(option + " must be 1 to 3600 seconds, not " + text);
    }
    return Duration.ofSeconds(seconds);
  }

  /** An advertised address: an IP literal, so that what is stored never depends on a name service. */
  private static InetAddress address(String text) {
    if (!text.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("an IP address is needed, not a name: " + text);
    }
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
  }
}
