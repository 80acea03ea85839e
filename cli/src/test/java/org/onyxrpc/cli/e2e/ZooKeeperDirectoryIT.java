package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.testing.Await;

/**
 * {@code onyx directory --zookeeper}: two directories over one ZooKeeper share their entries;
 * without onyx-directory-zookeeper on the classpath the option says what to add.
 */
class ZooKeeperDirectoryIT {
  @TempDir Path work;

  @Test
  void twoDirectoriesShareOneZooKeeper() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true);
        OnyxJar.Started first = startWithZooKeeper(zookeeper.getConnectString());
        OnyxJar.Started second = startWithZooKeeper(zookeeper.getConnectString())) {
      String firstPort = port(first);
      ServiceInstance instance = new ServiceInstance("com.example.Shared", 0x20000999, 1, "tcp", "127.0.0.1.18.52", "");
      try (RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", Integer.parseInt(firstPort))) {
        assertTrue(remote.register(instance, Duration.ofMinutes(1)).toMillis() > 0);
      }
      // The second directory reads ZooKeeper once a second: the entry is there once it has.
      try (RemoteDirectory other = RemoteDirectory.at("127.0.0.1", Integer.parseInt(port(second)))) {
        Await.until(() -> {
          try {
            return !other.lookup("com.example.Shared").isEmpty();
          } catch (RpcException e) {
            return false; // not yet read: it says so rather than answer an empty list
          }
        }, Duration.ofSeconds(30));
      }
      OnyxJar.Result list = OnyxJar.run(work, "list", "127.0.0.1:" + port(second));
      assertEquals(0, list.exit(), list::describe);
      assertTrue(list.out().lines().anyMatch(l -> l.matches(" *536873369  1 +tcp +127\\.0\\.0\\.1:4660 .* com\\.example\\.Shared")),
          list.out());
    }
  }

  @Test
  void theDistributionRunsAZooKeeperDirectoryAsItIs() throws Exception {
    Path home = OnyxJar.unpackDistribution(work);
    try (TestingServer zookeeper = new TestingServer(true);
        OnyxJar.Started directory = OnyxJar.start(List.of(home.resolve("bin/onyx").toString(), "directory",
            "--zookeeper", zookeeper.getConnectString(), "--port", "0", "--bind", "127.0.0.1"))) {
      assertTrue(directory.firstLine() != null && directory.firstLine().matches("onyx directory on port \\d+"),
          String.valueOf(directory.firstLine()));
      OnyxJar.Result list = OnyxJar.run(work, "list", "127.0.0.1:" + port(directory));
      assertEquals(0, list.exit(), list::describe);
    }
  }

  @Test
  void withoutTheModuleOnTheClasspathItSaysWhatToAdd() throws Exception {
    OnyxJar.Result r = OnyxJar.run(work, "directory", "--zookeeper", "127.0.0.1:1", "--port", "0");
    assertEquals(2, r.exit(), r::describe);
    assertTrue(r.err().startsWith("onyx directory: --zookeeper needs onyx-directory-zookeeper and Apache Curator on the classpath"),
        r.err());
  }

  /**
   * onyx.jar first, then this test's classpath, which holds onyx-directory-zookeeper and Curator;
   * with native access allowed, as cli/README gives the bare jar's command (the manifest's
   * Enable-Native-Access counts for java -jar only, and JDK 24+ warns without it).
   */
  private static OnyxJar.Started startWithZooKeeper(String connect) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", OnyxJar.JAR + java.io.File.pathSeparator + System.getProperty("java.class.path"),
        "org.onyxrpc.cli.Onyx", "directory", "--zookeeper", connect, "--port", "0", "--bind", "127.0.0.1"));
    OnyxJar.Started started = OnyxJar.start(command);
    assertTrue(started.firstLine() != null && started.firstLine().matches("onyx directory on port \\d+"),
        String.valueOf(started.firstLine()));
    return started;
  }

  private static String port(OnyxJar.Started directory) {
    return directory.firstLine().substring("onyx directory on port ".length());
  }
}
