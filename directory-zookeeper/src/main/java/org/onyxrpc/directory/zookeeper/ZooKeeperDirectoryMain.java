package org.onyxrpc.directory.zookeeper;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Portmap;
import org.onyxrpc.directory.rpcbind.DirectoryServer;

/**
 * A standalone directory over ZooKeeper: {@code java -cp ... org.onyxrpc.directory.zookeeper.ZooKeeperDirectoryMain
 * --zookeeper zk1:2181,zk2:2181 [--base /onyx/directory] [--port N] [--bind ADDRESS]}. Run one on
 * every machine (port 111 for C clients); they share one directory. Prints
 * {@code onyx directory on port N} once listening and runs until stopped.
 */
public final class ZooKeeperDirectoryMain {
  private ZooKeeperDirectoryMain() {}

  /** Runs the directory until the process is stopped. */
  public static void main(String[] args) throws Exception {
    String connect = null;
    String base = "/onyx/directory";
    int port = Portmap.PORT;
    InetAddress bind = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--zookeeper" -> connect = args[i + 1];
        case "--base" -> base = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--bind" -> bind = InetAddress.getByName(args[i + 1]);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (connect == null || args.length % 2 != 0) {
      usage("--zookeeper is required, and every option takes a value");
    }
    CuratorFramework curator = CuratorFrameworkFactory.newClient(connect, new ExponentialBackoffRetry(500, 5));
    curator.start();
    ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(curator).basePath(base).build();
    LocalDirectory directory = new LocalDirectory(store);
    DirectoryServer server;
    try {
      DirectoryServer.Builder b = DirectoryServer.builder().directory(directory);
      server = (bind == null ? b.port(port) : b.bind(bind, port)).build().start();
    } catch (IOException e) {
      System.err.println("onyx directory: " + e.getMessage());
      curator.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      directory.close();
      curator.close();
      stopped.countDown();
    }, "onyx-directory-shutdown"));
    System.out.println("onyx directory on port " + server.port());
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println("onyx directory: " + problem);
    System.err.println("usage: ZooKeeperDirectoryMain --zookeeper CONNECT [--base PATH] [--port N] [--bind ADDRESS]");
    System.exit(2);
  }
}
