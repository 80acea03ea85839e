package org.onyxrpc.examples.workqueue;

import java.io.IOException;
import java.net.InetAddress;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.server.RpcServer;

/** A queue server: the message-queue service inside an ordinary {@code RpcServer}. */
public final class WorkQueueServer implements AutoCloseable {
  private final QueueServer queues;
  private final RpcServer server;

  private WorkQueueServer(QueueServer queues, RpcServer server) {
    this.queues = queues;
    this.server = server;
  }

  /** Serves message queues on {@code port} of the loopback address (0: a free port). */
  public static WorkQueueServer start(int port) throws IOException {
    QueueServer queues = QueueServer.builder().maxQueues(16).build();
    RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
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

  /** Serves on port 4714 until stopped. */
  public static void main(String[] args) throws Exception {
    WorkQueueServer server = start(4714);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("message queues on port " + server.port());
    Thread.currentThread().join();
  }
}
