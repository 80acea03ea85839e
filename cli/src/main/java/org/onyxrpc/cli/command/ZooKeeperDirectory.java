package org.onyxrpc.cli.command;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.zookeeper.ZooKeeperDirectoryStore;

/**
 * The directory's store in ZooKeeper, for {@code onyx directory --zookeeper}. onyx.jar does not
 * hold onyx-directory-zookeeper and Curator: this class links to them only when that option is
 * used, and {@link DirectoryCommand} tells the user to add them to the classpath when they are
 * missing (cli/README.md).
 */
final class ZooKeeperDirectory implements AutoCloseable {
  private final CuratorFramework curator;
  private final ZooKeeperDirectoryStore store;
  private final LocalDirectory directory;

  /**
   * Connects and waits until ZooKeeper has been reached, so that the directory never listens
   * while it could answer only with refusals; progress goes to {@code progress} (standard error).
   */
  ZooKeeperDirectory(String connect, String basePath, List<InetAddress> advertise, String hostId,
      Duration sessionTimeout, Duration maxStaleness, PrintWriter progress) throws InterruptedException {
    this.curator = CuratorFrameworkFactory.builder().connectString(connect)
        .sessionTimeoutMs((int) sessionTimeout.toMillis())
        .connectionTimeoutMs((int) Math.min(15_000, sessionTimeout.toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(500, 5)).build();
    curator.start();
    this.store = ZooKeeperDirectoryStore.builder(curator).basePath(basePath)
        .host(HostIdentity.of(hostId, advertise)).maxStaleness(maxStaleness).build();
    progress.println("onyx directory: waiting for ZooKeeper at " + connect + " as host "
        + store.host().describe());
    progress.flush();
    while (!store.awaitReached(Duration.ofSeconds(10))) {
      progress.println("onyx directory: still waiting for ZooKeeper at " + connect);
      progress.flush();
    }
    this.directory = new LocalDirectory(store);
  }

  LocalDirectory directory() {
    return directory;
  }

  @Override
  public void close() {
    directory.close();
    store.close();
    curator.close();
  }
}
