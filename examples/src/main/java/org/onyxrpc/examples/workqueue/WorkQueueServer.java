package org.onyxrpc.examples.workqueue;

import java.io.IOException;
import java.net.InetAddress;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/** A queue server: the message-queue service inside an ordinary {@code RpcServer}. */
public final class WorkQueueServer implements AutoCloseable {
  private final QueueServer queues;
  private final RpcServer server;

  private WorkQueueServer(QueueServer queues, RpcServer server) {
    this.queues = queues;
    this.server = server;
  }

  /** Serves message queues on {@code port} of the loopback address (0: a free port), over TCP. */
  public static WorkQueueServer start(int port) throws IOException {
    QueueServer queues = QueueServer.builder().maxQueues(16).build();
    RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .transports(Transport.TCP) // the queue service refuses datagrams, whose source can be forged
        .addService(queues.service())
        .build()
        .start();
    return new WorkQueueServer(queues, server);
  }

  /** The port it serves on. */
  public int port() {
    return server.port();
  }

  /** The queue service's numbers, per queue. */
  public QueueServer queues() {
    return queues;
  }

  @Override
  public void close() {
    queues.close(); // first: it answers waiting calls, which the server's shutdown would wait for
    server.close();
  }

  /** Serves on port 4714 (or the first argument) of the loopback address until the process is stopped. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("WorkQueueServer", () -> serve(args));
  }

  static void serve(String[] args) throws Exception {
    WorkQueueServer server = start(args.length > 0 ? Endpoint.port(args[0]) : 4714);
    // On SIGTERM (Ctrl-C, kill, systemctl stop): answer waiting receives, withdraw, close.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("message queues listening: TCP on 127.0.0.1 port " + server.port() + "; Ctrl-C stops it");
    Thread.currentThread().join();
  }
}
