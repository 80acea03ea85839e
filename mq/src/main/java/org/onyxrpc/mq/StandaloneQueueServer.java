package org.onyxrpc.mq;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.internal.directory.OptionValues;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A standalone queue server:
 * {@code java -cp … org.onyxrpc.mq.QueueServerMain [--port N] [--bind ADDRESS] [--data-dir DIR]}.
 * Prints {@code onyx mq on port N} once it serves, and runs until stopped (SIGTERM or Ctrl-C).
 * Exit status 2 for bad arguments, 1 if it cannot serve (the port is taken, the data directory
 * cannot be read or holds a damaged log). It registers with the process's embedded directory; serve a directory beside
 * it for other processes to find it.
 */
public final class QueueServerMain {
  private QueueServerMain() {}

  /** The options, checked. */
  record Options(int port, InetAddress bind, Path dataDirectory) {}

  /**
   * Parses the options, starts the server, prints its port and serves until stopped.
   *
   * @param args {@code [--port N] [--bind ADDRESS] [--data-dir DIRECTORY]}; a mistake prints the usage
   *     and exits with 2
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = e.getMessage().isEmpty();
      usage(help ? System.out : System.err, e.getMessage());
      System.exit(help ? 0 : 2);
      return;
    }
    System.exit(serve(options.port(), options.bind(), options.dataDirectory(),
        new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Serves queues on {@code port} (0: any free one) over TCP until the process is stopped
   * (SIGTERM or Ctrl-C), printing {@code onyx mq on port N} to {@code out} once it listens:
   * what this class's {@code main} and the {@code onyx mq} command run.
   *
   * @param port the port, 0 for any free one
   * @param bind the address to listen on, or null for every address
   * @param dataDirectory where durable queues keep their logs, or null for none
   * @param out where the port is printed
   * @param err where a reason not to serve is printed
   * @return 1 if it cannot serve (the port is taken, the data directory is unusable: said on
   *     {@code err} in one line), else 0 once stopped
   * @throws InterruptedException if interrupted while serving
   */

  public static int serve(int port, InetAddress bind, Path dataDirectory, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    QueueServer.Builder builder = QueueServer.builder();
    if (dataDirectory != null) {
      builder.dataDirectory(dataDirectory);
    }
    QueueServer queues;
    RpcServer server;
    try {
      queues = builder.build();
    } catch (UncheckedIOException e) {
      err.println("onyx mq: " + e.getMessage());
      return 1;
    }
    try {
      server = (bind == null ? RpcServer.builder().port(port) : RpcServer.builder().bind(bind, port))
          .transports(Transport.TCP) // the queue service refuses datagrams
          .addService(queues.service())
          .build()
          .start();
    } catch (IOException | UncheckedIOException e) {
      queues.close();
      err.println("onyx mq: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      queues.close(); // first: it answers the waiting calls, which the server's shutdown would wait for
      server.close();
      stopped.countDown();
    }, "onyx-mq-shutdown"));
    out.println("onyx mq on port " + server.port());
    out.flush();
    stopped.await();
    return 0;
  }

  /** The options the arguments give; an {@link IllegalArgumentException} names what is wrong ("" for --help). */
  static Options parse(String[] args) {
    int port = 0;
    InetAddress bind = null;
    Path dataDirectory = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = OptionValues.port(OptionValues.value(args, ++i));
        case "--bind" -> bind = OptionValues.bindAddress(OptionValues.value(args, ++i));
        case "--data-dir" -> dataDirectory = Path.of(OptionValues.value(args, ++i));
        case "--help", "-h" -> throw new IllegalArgumentException("");
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    return new Options(port, bind, dataDirectory);
  }

  private static void usage(PrintStream out, String problem) {
    if (!problem.isEmpty()) {
      out.println("onyx mq: " + problem);
    }
    out.println("usage: QueueServerMain [--port N] [--bind ADDRESS] [--data-dir DIR]");
    out.println("  --port N        the TCP port (default 0: any free port, printed at start)");
    out.println("  --bind ADDRESS  the address to listen on (default: every address)");
    out.println("  --data-dir DIR  where durable queues keep their logs (default: none, no durable queues)");
  }
}
