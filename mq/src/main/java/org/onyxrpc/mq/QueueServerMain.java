package org.onyxrpc.mq;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A standalone queue server:
 * {@code java -cp … org.onyxrpc.mq.QueueServerMain [--port N] [--bind ADDRESS] [--data-dir DIR]}.
 * Prints {@code onyx mq on port N} once it serves, and runs until killed. It registers with the
 * process's embedded directory; serve a directory beside it for other processes to find it.
 */
public final class QueueServerMain {
  private QueueServerMain() {}

  /** Parses the options, starts the server, prints its port and waits to be killed. */
  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 0;
    InetAddress bind = null;
    Path dataDirectory = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(required(args[i], value));
        case "--bind" -> bind = InetAddress.getByName(required(args[i], value));
        case "--data-dir" -> dataDirectory = Path.of(required(args[i], value));
        default -> {
          System.err.println("usage: QueueServerMain [--port N] [--bind ADDRESS] [--data-dir DIR]");
          System.exit(2);
        }
      }
      i++;
    }
    QueueServer.Builder queues = QueueServer.builder();
    if (dataDirectory != null) {
      queues.dataDirectory(dataDirectory);
    }
    QueueServer queueServer = queues.build();
    RpcServer server = (bind == null ? RpcServer.builder().port(port) : RpcServer.builder().bind(bind, port))
        .transports(Transport.TCP) // the queue service refuses datagrams
        .addService(queueServer.service())
        .build()
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      queueServer.close();
      server.close();
    }, "onyx-mq-shutdown"));
    System.out.println("onyx mq on port " + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static String required(String option, String value) {
    if (value == null) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return value;
  }
}
