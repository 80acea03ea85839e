package org.onyxrpc.mq;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.transport.Transport;

/**
 * The queue server as a process of its own, what {@code onyx mq} runs (cli/README.md): serves
 * until the process is stopped (SIGTERM or Ctrl-C) and says in one line why it cannot serve. It
 * registers with a directory elsewhere when given one ({@code onyx mq --directory}), where
 * {@code onyx list} shows it and clients find it by name; else with the process's embedded
 * directory, which only a {@code DirectoryServer} in the same JVM would serve, and its clients
 * are given its address and port.
 */
public final class StandaloneQueueServer {
  private StandaloneQueueServer() {}

  /**
   * Serves queues on {@code port} (0: any free one) over TCP until the process is stopped
   * (SIGTERM or Ctrl-C), printing {@code onyx mq on port N} to {@code out} once it listens, and
   * with a {@code directory} a second line, whether it registered there yet: what the {@code onyx
   * mq} command runs.
   *
   * @param port the port, 0 for any free one
   * @param bind the address to listen on, or null for every address
   * @param dataDirectory where durable queues keep their logs, or null for none
   * @param directory where the queue service registers, closed when the server stops; or null
   *     for this process's own directory
   * @param out where the port is printed
   * @param err where a reason not to serve is printed
   * @return 1 if it cannot serve (the port is taken, the data directory is unusable: said on
   *     {@code err} in one line), else 0 once stopped
   * @throws InterruptedException if interrupted while serving
   */
  public static int serve(int port, InetAddress bind, Path dataDirectory, RemoteDirectory directory,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    QueueServer.Builder builder = QueueServer.builder();
    if (dataDirectory != null) {
      builder.dataDirectory(dataDirectory);
    }
    return serve(builder, port, bind, directory, out, err);
  }

  /**
   * {@link #serve(int, InetAddress, Path, RemoteDirectory, PrintWriter, PrintWriter)} with the
   * limits and data directory set on {@code limits} ({@code onyx mq --max-queues …}), built here.
   *
   * @param limits the queue server's limits and data directory, built once here
   * @param port the port, 0 for any free one
   * @param bind the address to listen on, or null for every address
   * @param directory where the queue service registers, closed when the server stops; or null
   *     for this process's own directory
   * @param out where the port is printed
   * @param err where a reason not to serve is printed
   * @return 1 if it cannot serve (said on {@code err} in one line), else 0 once stopped
   * @throws InterruptedException if interrupted while serving
   */
  public static int serve(QueueServer.Builder limits, int port, InetAddress bind, RemoteDirectory directory,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    QueueServer queues;
    RpcServer server;
    try {
      queues = limits.build();
    } catch (UncheckedIOException e) {
      closeDirectory(directory);
      err.println("onyx mq: " + e.getMessage());
      return 1;
    }
    try {
      RpcServerBuilder where = bind == null ? RpcServer.builder().port(port) : RpcServer.builder().bind(bind, port);
      if (directory != null) {
        where.directory(directory);
      }
      server = where.transports(Transport.TCP) // the queue service refuses datagrams
          .addService(queues.service())
          .build()
          .start();
    } catch (IOException | UncheckedIOException e) {
      queues.close();
      closeDirectory(directory);
      err.println("onyx mq: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      queues.close(); // first: it answers the waiting calls, which the server's shutdown would wait for
      server.close(); // withdraws the registration
      closeDirectory(directory);
      stopped.countDown();
    }, "onyx-mq-shutdown"));
    out.println("onyx mq on port " + server.port());
    if (directory != null) {
      // A line of its own: scripts read the port off the first. start() waited up to 2 s.
      out.println("onyx mq: " + (server.awaitRegistered(Duration.ZERO) ? "registered with " + directory
          : "registering with " + directory + ": not registered yet, goes on in the background (standard error says why)"));
    }
    out.flush();
    stopped.await();
    return 0;
  }

  private static void closeDirectory(RemoteDirectory directory) {
    if (directory != null) {
      directory.close();
    }
  }
}
