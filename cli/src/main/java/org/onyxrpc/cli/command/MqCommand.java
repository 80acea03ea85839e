package org.onyxrpc.cli.command;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.StandaloneQueueServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code onyx mq [--port N] [--max-queues N …]}: the standalone queue server of {@code onyx-mq}
 * ({@link StandaloneQueueServer}); {@code onyx mq list} names a server's queues.
 */
@Command(name = "mq", mixinStandardHelpOptions = true, subcommands = MqListCommand.class,
    description = "Runs a message queue server (onyx-mq: POSIX mq_* semantics across machines: mq/README.md, doc/mq.md in the distribution) "
        + "on one TCP port (it refuses datagrams, whose source can be forged). Prints 'onyx mq on port N' once it listens (with --directory, a second line: whether it registered there yet) and runs until stopped "
        + "(Ctrl-C or SIGTERM). The --max-* options bound what clients may take (mq/README.md, Limits and numbers); "
        + "BYTES take a K, M or G suffix (KiB, MiB, GiB). onyx mq list HOST:PORT names a running server's queues.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"1:cannot serve (port taken, data directory unusable)", "2:bad command line",
        "130:stopped by Ctrl-C (SIGINT)", "143:stopped by SIGTERM"})
public final class MqCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public MqCommand() {}

  @Option(names = "--port", defaultValue = "0", paramLabel = "N",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen on this address only (default: every address).")
  InetAddress bind;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where durable queues keep their logs, and are found again at start (default: none, no durable"
          + " queues); made 0700 when missing, and refused when another user owns it or its group or others may"
          + " write in it.")
  Path dataDirectory;

  @Option(names = "--directory", paramLabel = "HOST[:PORT]",
      description = "Register the queue service with the directory at HOST[:PORT] (onyx directory, or rpcbind; PORT "
          + "default 111), where onyx list HOST shows it and clients find it by name; withdrawn when stopped "
          + "(default: only this process's own directory, which no other process asks).")
  String directory;

  @Mixin MqLimitOptions limits;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 0xFFFF) {
      throw new BadCommandLine("--port must be 0..65535, got " + port);
    }
    QueueServer.Builder queues = limits.applyTo(QueueServer.builder());
    if (dataDirectory != null) {
      queues.dataDirectory(dataDirectory);
    }
    int status = StandaloneQueueServer.serve(queues, port, bind, remoteDirectory(),
        spec.commandLine().getOut(), spec.commandLine().getErr());
    return status == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private RemoteDirectory remoteDirectory() {
    if (directory == null) {
      return null;
    }
    Target t = Target.parse(directory);
    if (t.isUnixSocket()) {
      throw new BadCommandLine("--directory takes HOST[:PORT], not " + directory);
    }
    return t.port() == 0 ? RemoteDirectory.at(t.host()) : RemoteDirectory.at(t.host(), t.port());
  }
}
