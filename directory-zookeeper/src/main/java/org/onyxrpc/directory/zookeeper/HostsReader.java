package org.onyxrpc.directory.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.onyxrpc.directory.Registration;

/**
 * Reads what the directories of an ensemble wrote under the base path: a znode per host, its
 * entries under it. ZooKeeper sends a list of children in one reply, and a client that gets a
 * reply larger than its {@code jute.maxbuffer} (1 MB) drops the connection and tries again for
 * ever; so no list is asked for before its size is known to fit: at most {@link #MAX_HOSTS}
 * hosts, and {@link ZooKeeperDirectoryStore#MAX_ENTRIES} entries per host (a host over it is
 * skipped as garbage), whose names a directory keeps within {@link #MAX_NAME_BYTES}. Owned by the store's refresher thread.
 *
 * <p>The size of a host's list is not known before it is asked for (a znode's Stat counts its
 * children, not their names' bytes), and anyone who can write under the base path can name a
 * few hundred children with a kilobyte each: the connection was lost at every refresh, and no
 * directory of the ensemble was current again. A host whose listing lost the connection twice
 * in a row, its children unchanged (the same {@code pzxid}), is skipped as garbage until they
 * change; one loss alone (an outage) is tried again. The base path's own list is read as
 * warily: once listing it has lost the connection twice with its children unchanged, no host can
 * be listed, and {@link #read} throws {@link HostsUnreadable} without asking again until they
 * change (the store answers from what it read before, as in an outage), where every refresh lost
 * the connection.
 */
final class HostsReader {
  /** Most hosts read: their names (ids of at most 128 bytes, 384 URL-encoded) fit in one reply. */
  static final int MAX_HOSTS = 1024;
  /**
   * Most bytes the names of one host's entries take in the reply that lists them, well within
   * ZooKeeper's 1 MB: a host refuses a registration beyond it (4096 entries of IPv6 addresses
   * take about 350 KB).
   */
  static final int MAX_NAME_BYTES = 768 * 1024;
  /** How long one host's entries may take to read before the refresh fails (and the store is STALE). */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final CuratorFramework client;
  private final String basePath;
  private final String self;
  private final int maxEntries;
  private final SkippedZnodes skipped;
  private final PipelinedReads reads;
  /** Host paths whose listing lost the connection: the pzxid it was at, and how many times. */
  private final Map<String, LostListing> lostListings = new HashMap<>();

  /** A listing that lost the connection {@code times} in a row, the children at {@code pzxid}. */
  private record LostListing(long pzxid, int times) {}

  /**
   * ZooKeeper was reached, but the hosts under the base path cannot be read: more of them than
   * a directory reads, or a list of them too long for one reply. Nothing else is wrong: this
   * host's entries are written as ever.
   */
  static final class HostsUnreadable extends Exception {
    HostsUnreadable(String message) {
      super(message, null, false, false);
    }
  }

  HostsReader(CuratorFramework client, String basePath, String hostId, int maxEntries, SkippedZnodes skipped) {
    this.client = client;
    this.reads = PipelinedReads.over(client, READ_TIMEOUT, StoredEntry.MAX_BYTES);
    this.basePath = basePath;
    this.self = StoredEntry.hostNode(hostId);
    this.maxEntries = maxEntries;
    this.skipped = skipped;
  }

  /**
   * What other directories wrote: this host's other directories' entries (same id, another
   * session) as registered, other hosts' as they reach them.
   */
  record Read(List<Registration> sameHost, List<Registration> otherHosts) {
    int size() {
      return sameHost.size() + otherHosts.size();
    }
  }

  SkippedZnodes skipped() {
    return skipped;
  }

  /**
   * Every entry but those of {@code session} (this directory's own), at most {@code maxEntries}.
   *
   * @throws HostsUnreadable if the base path holds more hosts than can be read, or a list of
   *     them too long to read
   */
  Read read(long session) throws Exception {
    Stat base = client.checkExists().forPath(basePath);
    if (base == null) {
      skipped.endRead();
      return new Read(List.of(), List.of());
    }
    if (base.getNumChildren() > MAX_HOSTS) {
      throw new HostsUnreadable(basePath + " holds " + base.getNumChildren() + " znodes, more hosts than the "
          + MAX_HOSTS + " a directory reads: remove what is not a directory's");
    }
    if (tooLongToList(basePath, base)) {
      throw new HostsUnreadable("the list of " + basePath + "'s " + base.getNumChildren() + " znodes lost the"
          + " connection twice: more bytes than a ZooKeeper client takes in one reply (jute.maxbuffer); remove"
          + " what is not a directory's (a host's name is at most 384 bytes)");
    }
    List<Registration> sameHost = new ArrayList<>();
    List<Registration> otherHosts = new ArrayList<>();
    for (String hostNode : listNoting(basePath, base)) {
      String hostPath = basePath + "/" + hostNode;
      Stat stat = client.checkExists().forPath(hostPath);
      if (stat == null || stat.getNumChildren() == 0) {
        continue; // gone, or a host without entries (or a znode that is no host: it holds none)
      }
      if (stat.getNumChildren() > ZooKeeperDirectoryStore.MAX_ENTRIES) {
        skipped.skip(hostPath, stat.getNumChildren() + " children, more than a host may register");
        continue;
      }
      boolean same = hostNode.equals(self);
      if (tooLongToList(hostPath, stat)) {
        skipped.skip(hostPath, "its list of children lost the connection twice: more bytes than a ZooKeeper "
            + "client takes in one reply (jute.maxbuffer)");
        continue;
      }
      List<String> keyNodes = listNoting(hostPath, stat);
      for (int next = 0; next < keyNodes.size(); ) {
        int room = maxEntries - (sameHost.size() + otherHosts.size());
        if (room <= 0) {
          skipped.endRead();
          return new Read(List.copyOf(sameHost), List.copyOf(otherHosts));
        }
        List<String> batch = keyNodes.subList(next, Math.min(keyNodes.size(), next + room));
        next += batch.size();
        PipelinedReads.Znode[] znodes = reads.read(batch.stream().map(k -> hostPath + "/" + k).toList());
        for (int i = 0; i < znodes.length; i++) {
          StoredEntry entry = entry(hostNode, batch.get(i), znodes[i]);
          if (entry == null) {
            continue;
          }
          if (!same) {
            Registration r = entry.seenFromElsewhere();
            if (r != null) {
              otherHosts.add(r);
            }
          } else if (znodes[i].stat().getEphemeralOwner() != session) {
            sameHost.add(entry.registration());
          }
        }
      }
    }
    skipped.endRead();
    return new Read(List.copyOf(sameHost), List.copyOf(otherHosts));
  }

  /**
   * The entry znode {@code key} of host {@code hostNode} holds, or null: removed since it was
   * listed, or too long or not an entry (then skipped, left alone and never served).
   */
  private StoredEntry entry(String hostNode, String key, PipelinedReads.Znode znode) {
    if (znode.data() == null) {
      return null; // removed since it was listed
    }
    String path = basePath + "/" + hostNode + "/" + key;
    if (znode.dropped()) {
      skipped.skip(path, znode.length() + " bytes, more than the "
          + StoredEntry.MAX_BYTES + " of the longest entry");
      return null;
    }
    try {
      return StoredEntry.decode(hostNode + "/" + key, znode.data());
    } catch (IllegalArgumentException e) {
      skipped.skip(path, e.getMessage()); // left alone, never served
      return null;
    }
  }

  /** True if listing {@code path}'s children, as they are ({@code stat}), lost the connection twice in a row. */
  private boolean tooLongToList(String path, Stat stat) {
    LostListing lost = lostListings.get(path);
    return lost != null && lost.times() >= 2 && lost.pzxid() == stat.getPzxid();
  }

  /**
   * The children of {@code path}, whose Stat is {@code stat}, noting a lost connection against
   * its children as they are.
   */
  private List<String> listNoting(String path, Stat stat) throws Exception {
    try {
      List<String> children = children(path);
      lostListings.remove(path);
      return children;
    } catch (KeeperException.ConnectionLossException e) {
      LostListing lost = lostListings.get(path);
      if (lostListings.size() >= MAX_HOSTS) {
        lostListings.clear(); // hosts come and go: what is noted stays within the hosts read
      }
      lostListings.put(path, new LostListing(stat.getPzxid(),
          lost != null && lost.pzxid() == stat.getPzxid() ? lost.times() + 1 : 1));
      throw e;
    }
  }

  /** The children of {@code path}; none if it is gone. */
  private List<String> children(String path) throws Exception {
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }
}
