package org.onyxrpc.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.rpcbind.Portmap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onyx directory [--port N]}: the directory as a process of its own, in memory or over ZooKeeper. */
@Command(name = "directory", mixinStandardHelpOptions = true,
    description = "Runs the Onyx directory: rpcbind versions 2 to 4 (what rpcinfo and C clients speak) "
        + "and the Onyx names protocol, on one port over TCP and UDP, in memory (in ZooKeeper with --zookeeper). Prints 'onyx "
        + "directory on port N' once it listens and runs until stopped (Ctrl-C or SIGTERM).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"1:cannot listen (port taken, no privilege for 111)", "2:bad command line",
        "130:stopped by Ctrl-C (SIGINT)", "143:stopped by SIGTERM"})
public final class DirectoryCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public DirectoryCommand() {}

  @Option(names = "--port", defaultValue = "" + Portmap.PORT, paramLabel = "N",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen on this address only (default: every address).")
  InetAddress bind;

  @Option(names = "--allow-remote-registration",
      description = "Take named registrations from other machines too, over TCP (default: only from this one).")
  boolean remoteRegistration;

  @Option(names = "--max-entries-per-caller", defaultValue = "1024", paramLabel = "N",
      description = "Entries one caller (a uid through --local-socket; else this machine, one share for all its"
          + " users over TCP and UDP; else a source address) may add by SET and registration (default:"
          + " ${DEFAULT-VALUE}); past it the caller is refused, others are not.")
  int maxEntriesPerCaller;

  @Option(names = "--change-burst", paramLabel = "N",
      description = "Changes (SET, UNSET, registration, withdrawal) one caller may make at once (default: twice"
          + " --max-entries-per-caller, a whole share set and unset); then --changes-per-second.")
  Integer changeBurst;

  @Option(names = "--changes-per-second", defaultValue = "100", paramLabel = "N",
      description = "Changes one caller may make per second past its burst (default: ${DEFAULT-VALUE}); past its"
          + " pace its SET and UNSET answer FALSE and its registration is refused, others are not.")
  int changesPerSecond;

  @Option(names = "--local-socket", paramLabel = "PATH",
      description = "Also answer on this Unix socket, where libtirpc looks (/run/rpcbind.sock).")
  Path localSocket;

  @Option(names = "--zookeeper", paramLabel = "CONNECT",
      description = "Keep the entries in ZooKeeper (zk1:2181,zk2:2181), shared by the directories of every"
          + " machine. Needs onyx-directory-zookeeper and Apache Curator: the tar.gz's bin/onyx has them"
          + " (lib/zookeeper); with onyx.jar alone, add them to the classpath (ONYX_CLASSPATH).")
  String zookeeper;

  @Option(names = "--base", defaultValue = "/onyx/directory", paramLabel = "PATH",
      description = "With --zookeeper: the znode the entries live under (default: ${DEFAULT-VALUE}).")
  String base;

  @Option(names = "--advertise", paramLabel = "ADDRESS", converter = IpLiteralConverter.class,
      description = "With --zookeeper: an IP address other machines reach this host at (repeatable;"
          + " default: this host's interface addresses).")
  List<InetAddress> advertise = new ArrayList<>();

  @Option(names = "--host-id", paramLabel = "ID",
      description = "With --zookeeper: this host's name in the shared store (default: its first address).")
  String hostId;

  @Option(names = "--session-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "With --zookeeper: the ZooKeeper session asked for (default: ${DEFAULT-VALUE}; the ensemble"
          + " grants it within its bounds), how long other machines keep listing this one once it died.")
  Duration sessionTimeout;

  @Option(names = "--max-staleness", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "With --zookeeper: while ZooKeeper cannot be reached, how long this directory still answers with"
          + " the other machines' entries it last read (default: ${DEFAULT-VALUE}); after it, with this machine's only.")
  Duration maxStaleness;

  /** The options that only mean something with {@code --zookeeper}, whose descriptions say "With --zookeeper". */
  private static final List<String> ZOOKEEPER_ONLY =
      List.of("--base", "--advertise", "--host-id", "--session-timeout", "--max-staleness");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (zookeeper == null) {
      // Else a forgotten --zookeeper would start an in-memory directory that shares nothing.
      for (String option : ZOOKEEPER_ONLY) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new BadCommandLine(option + " needs --zookeeper (without it the entries are kept in memory)");
        }
      }
    }
    if (port < 0 || port > 0xFFFF) {
      throw new BadCommandLine("--port must be 0..65535, got " + port);
    }
    if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0 || sessionTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new BadCommandLine("--session-timeout must be 1s to 1h, got " + sessionTimeout.toMillis() + "ms");
    }
    if (maxStaleness.compareTo(Duration.ofSeconds(1)) < 0 || maxStaleness.compareTo(Duration.ofHours(1)) > 0) {
      throw new BadCommandLine("--max-staleness must be 1s to 1h, got " + maxStaleness.toMillis() + "ms");
    }
    if (maxEntriesPerCaller < 1) {
      throw new BadCommandLine("--max-entries-per-caller must be 1 or more, got " + maxEntriesPerCaller);
    }
    if (changeBurst != null && changeBurst < 1 || changesPerSecond < 1) {
      throw new BadCommandLine("--change-burst and --changes-per-second must be 1 or more, got "
          + (changeBurst == null ? "the default" : changeBurst) + " and " + changesPerSecond);
    }
    int burst = changeBurst != null ? changeBurst : (int) Math.min(Integer.MAX_VALUE, 2L * maxEntriesPerCaller);
    DirectoryServer.Builder builder = DirectoryServer.builder().allowRemoteRegistration(remoteRegistration)
        .maxEntriesPerCaller(maxEntriesPerCaller).changesPerCaller(burst, changesPerSecond);
    builder = bind == null ? builder.port(port) : builder.bind(bind, port);
    if (localSocket != null) {
      builder.localSocket(localSocket);
    }
    AutoCloseable store = zookeeper == null ? () -> {} : zooKeeper(builder);
    DirectoryServer server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      spec.commandLine().getErr().println("onyx directory: " + e.getMessage()); // "cannot listen on …"
      spec.commandLine().getErr().flush();
      closeQuietly(store);
      return ExitCodes.FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      closeQuietly(store);
      stopped.countDown();
    }, "onyx-directory-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("onyx directory on port " + server.port());
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private AutoCloseable zooKeeper(DirectoryServer.Builder builder) throws InterruptedException {
    try {
      ZooKeeperDirectory zk = new ZooKeeperDirectory(zookeeper, base, advertise, hostId,
          sessionTimeout, maxStaleness, spec.commandLine().getErr());
      builder.directory(zk.directory());
      return zk;
    } catch (NoClassDefFoundError e) {
      throw new IllegalArgumentException("--zookeeper needs onyx-directory-zookeeper and Apache Curator on the "
          + "classpath (missing " + e.getMessage() + "); see cli/README.md, doc/onyx.md in the distribution", e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // stopping anyway; nothing to tell
    }
  }
}
