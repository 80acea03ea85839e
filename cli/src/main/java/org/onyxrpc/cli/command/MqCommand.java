package org.onyxrpc.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onyx mq [--port N]}: the standalone queue server of {@code onyx-mq}, as QueueServerMain runs it. */
@Command(name = "mq", mixinStandardHelpOptions = true,
    description = "Runs a message queue server (onyx-mq: POSIX mq_* semantics across machines, mq/README.md) "
        + "on one TCP port (it refuses datagrams, whose source can be forged). Prints 'onyx mq on port N' once it listens and runs until stopped "
        + "(Ctrl-C or SIGTERM).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:stopped", "1:cannot serve (port taken, data directory unusable)", "2:bad command line"})
public final class MqCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "0", paramLabel = "N",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen on this address only (default: every address).")
  InetAddress bind;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where durable queues keep their logs, and are found again at start (default: none, no durable queues).")
  Path dataDirectory;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    QueueServer.Builder builder = QueueServer.builder();
    if (dataDirectory != null) {
      builder.dataDirectory(dataDirectory);
    }
    QueueServer queues;
    try {
      queues = builder.build();
    } catch (UncheckedIOException e) {
      return failed(e.getMessage());
    }
    RpcServer server;
    try {
      server = (bind == null ? RpcServer.builder().port(port) : RpcServer.builder().bind(bind, port))
          .transports(Transport.TCP)
          .addService(queues.service())
          .build()
          .start();
    } catch (IOException | UncheckedIOException e) {
      queues.close();
      return failed(e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      queues.close(); // first: it answers the waiting calls, which the server's shutdown would wait for
      server.close();
      stopped.countDown();
    }, "onyx-mq-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("onyx mq on port " + server.port());
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private int failed(String why) {
    spec.commandLine().getErr().println("onyx mq: " + why);
    spec.commandLine().getErr().flush();
    return ExitCodes.FAILED;
  }
}
