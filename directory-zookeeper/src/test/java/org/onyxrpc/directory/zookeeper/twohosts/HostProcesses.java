package org.onyxrpc.directory.zookeeper.twohosts;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.directory.zookeeper.ZooKeeperDirectoryStore;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The programs {@link TwoHostsTest} runs in its network namespaces, each as its own JVM:
 * {@code zookeeper}, {@code directory CONNECT}, {@code server NAME PROGRAM ANSWER BIND}, {@code client
 * NAME PROGRAM}.
 * Each prints one line when ready (or its result) and runs until stopped.
 */
public final class HostProcesses {
  static final int ZOOKEEPER_PORT = 2181;

  private HostProcesses() {}

  static Procedure<Void, Integer> who(int program) {
    return new Procedure<>(program, 1, 1, "TwoHosts.who", XdrCodecs.VOID, XdrCodecs.INT);
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "zookeeper" -> zookeeper();
      case "directory" -> directory(args[1]);
      case "server" -> server(args[1], Integer.decode(args[2]), Integer.parseInt(args[3]), InetAddress.getByName(args[4]));
      case "client" -> client(args[1], Integer.decode(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Curator's testing ZooKeeper (the real server code) on every address of this namespace. */
  private static void zookeeper() throws Exception {
    Path data = Files.createTempDirectory("onyx-zk");
    File dir = data.toFile();
    try (TestingServer server = new TestingServer(new InstanceSpec(dir, ZOOKEEPER_PORT, -1, -1, true, -1), true)) {
      System.out.println("zookeeper ready");
      System.out.flush();
      new CountDownLatch(1).await(); // until the test stops this process
    }
  }

  /**
   * The host's directory on port 111 of every address, its entries in the ZooKeeper at {@code
   * connect}, this host known by its interfaces' addresses: what {@code onyx directory --zookeeper
   * CONNECT} runs.
   */
  private static void directory(String connect) throws Exception {
    try (CuratorFramework curator = CuratorFrameworkFactory.newClient(connect,
            new ExponentialBackoffRetry(500, 5))) {
      curator.start();
      try (ZooKeeperDirectoryStore store = ZooKeeperDirectoryStore.builder(curator).build()) {
        if (!store.awaitReached(Duration.ofSeconds(60))) {
          throw new IllegalStateException("ZooKeeper at " + connect + " not reached");
        }
        try (LocalDirectory directory = new LocalDirectory(store);
            DirectoryServer server = DirectoryServer.builder().directory(directory).build().start()) {
          System.out.println("onyx directory on port " + server.port());
          System.out.flush();
          new CountDownLatch(1).await();
        }
      }
    }
  }

  /** A server answering {@code answer}, registered by name with this namespace's directory. */
  private static void server(String name, int program, int answer, InetAddress bind) throws Exception {
    RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", 111);
    RpcServer server = RpcServer.builder().bind(bind, 0)
        .directory(directory, Duration.ofSeconds(30))
        .serviceName(program, name)
        .addService(ServiceDefinition.builder(program, 1).procedure(who(program), (v, ctx) -> answer).build())
        .build().start();
    System.out.println("server ready on port " + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /** Finds {@code name} through this namespace's directory and calls every TCP instance once. */
  private static void client(String name, int program) throws Exception {
    try (RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", 111)) {
      List<ServiceInstance> found = directory.lookup(name);
      System.out.println("found " + found);
      for (ServiceInstance i : found) {
        if (i.transport() != Transport.TCP) {
          continue;
        }
        InetSocketAddress address = i.socketAddress();
        try (RpcClient client = RpcClient.builder().address(address).timeout(Duration.ofSeconds(10)).build()) {
          System.out.println("called " + address.getAddress().getHostAddress() + " answer " + client.call(who(program), null));
        }
      }
      System.out.println("client done");
    }
  }
}
