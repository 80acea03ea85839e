package org.onyxrpc.cli.command;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
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
  private final LocalDirectory directory;

  ZooKeeperDirectory(String connect, String basePath) {
    this.curator = CuratorFrameworkFactory.newClient(connect, new ExponentialBackoffRetry(500, 5));
    curator.start();
    this.directory = new LocalDirectory(ZooKeeperDirectoryStore.builder(curator).basePath(basePath).build());
  }

  LocalDirectory directory() {
    return directory;
  }

  @Override
  public void close() {
    directory.close();
    curator.close();
  }
}
