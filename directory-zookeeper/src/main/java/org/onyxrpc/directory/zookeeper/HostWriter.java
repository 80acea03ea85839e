package org.onyxrpc.directory.zookeeper;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;

/**
 * Writes this host's entries as ephemeral znodes of this directory's session, the twin of
 * {@link HostsReader}: it touches only znodes its session owns, or this host's left by an ended
 * session of this directory. Owned by the store's refresher thread; every call may wait as long
 * as ZooKeeper takes to answer.
 */
final class HostWriter {
  private final CuratorFramework client;
  private final String basePath;
  private final HostIdentity host;
  /**
   * The key nodes this session created or set and has not deleted since: the znodes a full write
   * may have to delete. Kept here rather than listed, because anyone who can write under the base
   * path can make this host's list of children too long for one reply, and every full write
   * then lost the connection. No more than the znodes of this session that may exist.
   */
  private final Set<String> written = new HashSet<>();
  /** The session {@link #written} is of. */
  private long writtenIn;

  HostWriter(CuratorFramework client, String basePath, HostIdentity host) {
    this.client = client;
    this.basePath = basePath;
    this.host = host;
  }

  /**
   * Makes ZooKeeper hold {@code entries} (a null registration: removed); with {@code all}, they
   * are every entry of this host and this session's others are deleted.
   */
  void write(Map<ServiceInstance.Key, Registration> entries, boolean all) throws Exception {
    long session = session();
    if (session != writtenIn) {
      written.clear(); // the ended session's znodes end with it
      writtenIn = session;
    }
    if (all) {
      deleteOthersOfThisHost(entries.keySet());
    }
    for (Map.Entry<ServiceInstance.Key, Registration> e : entries.entrySet()) {
      if (e.getValue() == null) {
        deleteIfOurs(path(e.getKey()));
      } else {
        write(StoredEntry.of(host, e.getValue()));
      }
    }
  }

  /** The session whose znodes are this directory's. */
  long session() throws Exception {
    return client.getZookeeperClient().getZooKeeper().getSessionId();
  }

  /** Deletes this session's znodes of this host that are no longer its entries. */
  private void deleteOthersOfThisHost(Set<ServiceInstance.Key> kept) throws Exception {
    Set<String> wanted = new HashSet<>();
    for (ServiceInstance.Key key : kept) {
      wanted.add(StoredEntry.keyNode(key));
    }
    String hostPath = basePath + "/" + StoredEntry.hostNode(host.id());
    for (String child : List.copyOf(written)) {
      if (!wanted.contains(child)) {
        deleteIfOurs(hostPath + "/" + child);
      }
    }
  }

  private void write(StoredEntry entry) throws Exception {
    String path = path(entry.registration().instance().key());
    byte[] data = entry.encode();
    Stat stat = client.checkExists().forPath(path);
    written.add(keyNode(path)); // first: a write that fails midway may still have created it
    if (stat != null && stat.getEphemeralOwner() == session()) {
      client.setData().forPath(path, data);
      return;
    }
    if (stat != null) {
      // This host's entry from an ended session of this directory: replaced by this session's.
      deleteQuietly(path);
    }
    try {
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
    } catch (KeeperException.NodeExistsException e) {
      client.setData().forPath(path, data);
    }
  }

  private void deleteIfOurs(String path) throws Exception {
    Stat stat = client.checkExists().forPath(path);
    if (stat != null && stat.getEphemeralOwner() == session()) {
      deleteQuietly(path);
    }
    written.remove(keyNode(path)); // gone, or not this session's
  }

  /** The last name of {@code path}: an entry's key node. */
  private static String keyNode(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void deleteQuietly(String path) throws Exception {
    try {
      client.delete().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // gone already
    }
  }

  private String path(ServiceInstance.Key key) {
    return basePath + "/" + StoredEntry.nodeName(host.id(), key);
  }
}
