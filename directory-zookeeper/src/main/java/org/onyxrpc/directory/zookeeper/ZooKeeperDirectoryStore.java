package org.onyxrpc.directory.zookeeper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.onyxrpc.directory.DirectoryStore;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.Names;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A {@link DirectoryStore} in Apache ZooKeeper, through Apache Curator: one directory shared by
 * every machine whose directory uses the same ensemble and base path.
 *
 * <p>Each entry is an ephemeral znode under the base path, named by its key and holding the
 * instance and the end of its lease (XDR: the names protocol's instance, then a hyper of
 * milliseconds since 1970). Leases map onto ephemeral nodes twice over: the entry ends when its
 * lease does (every directory sweeps expired nodes), and at once when the ZooKeeper session of
 * the directory that last wrote it ends, that is when that directory dies. The servers' next
 * renewals, through any directory, write the entries again. Lease ends are compared with each
 * machine's own clock: keep the clocks within a fraction of the lease.
 *
 * <p>Reads are served from a snapshot at most {@link Builder#snapshotTtl} old (default 1 s)
 * that this store's own writes refresh; at most {@link #MAX_ENTRIES} entries are kept.
 */
public final class ZooKeeperDirectoryStore implements DirectoryStore {
  /** Most entries kept, as many as a DUMP reply may carry. */
  public static final int MAX_ENTRIES = InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES;

  private final CuratorFramework client;
  private final String basePath;
  private final long snapshotTtlNanos;
  private volatile List<Registration> snapshot;
  private volatile long snapshotAt;

  private ZooKeeperDirectoryStore(Builder b) {
    this.client = b.client;
    this.basePath = b.basePath;
    this.snapshotTtlNanos = b.snapshotTtl.toNanos();
  }

  /** A builder over a Curator client that the caller has started and will close. */
  public static Builder builder(CuratorFramework client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  @Override
  public synchronized boolean put(Registration registration) {
    String path = path(registration.instance().key());
    byte[] data = encode(registration);
    try {
      Stat stat = client.checkExists().forPath(path);
      if (stat == null && children().size() >= MAX_ENTRIES) {
        return false;
      }
      long session = client.getZookeeperClient().getZooKeeper().getSessionId();
      if (stat != null && stat.getEphemeralOwner() == session) {
        client.setData().forPath(path, data);
      } else {
        // Absent, or held by another directory's session: this directory takes it over, so
        // the entry lives as long as the directory the server renews through.
        if (stat != null) {
          deleteQuietly(path);
        }
        client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
      }
      snapshot = null;
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return put(registration); // another directory created it in between: take it over
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  @Override
  public synchronized boolean remove(ServiceInstance.Key key) {
    boolean removed = deleteQuietly(path(key));
    snapshot = null;
    return removed;
  }

  @Override
  public List<Registration> list(long nowMillis) {
    List<Registration> all = snapshot;
    if (all == null || System.nanoTime() - snapshotAt > snapshotTtlNanos) {
      all = read();
      snapshot = all;
      snapshotAt = System.nanoTime();
    }
    List<Registration> live = new ArrayList<>(all.size());
    for (Registration r : all) {
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  @Override
  public synchronized int removeExpired(long nowMillis) {
    int removed = 0;
    for (Registration r : read()) {
      if (r.expired(nowMillis) && deleteQuietly(path(r.instance().key()))) {
        removed++;
      }
    }
    if (removed > 0) {
      snapshot = null;
    }
    return removed;
  }

  /**
   * Does nothing: the Curator client is its owner's to close, and closing it ends the
   * ephemeral entries this directory wrote.
   */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "ZooKeeper store at " + client.getZookeeperClient().getCurrentConnectionString() + basePath;
  }

  private List<Registration> read() {
    List<Registration> entries = new ArrayList<>();
    for (String child : children()) {
      try {
        entries.add(decode(client.getData().forPath(basePath + "/" + child)));
      } catch (KeeperException.NoNodeException e) {
        // removed since it was listed
      } catch (XdrException | IllegalArgumentException e) {
        // not an entry of ours: left alone, never served
      } catch (Exception e) {
        throw unavailable(e);
      }
    }
    return entries;
  }

  private List<String> children() {
    try {
      return client.getChildren().forPath(basePath);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  private boolean deleteQuietly(String path) {
    try {
      client.delete().forPath(path);
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  private String path(ServiceInstance.Key key) {
    String name = Integer.toHexString(key.program()) + "~" + Integer.toUnsignedString(key.version())
        + "~" + URLEncoder.encode(key.netid(), StandardCharsets.UTF_8)
        + "~" + URLEncoder.encode(key.address(), StandardCharsets.UTF_8);
    return basePath + "/" + name;
  }

  static byte[] encode(Registration r) {
    ByteBuf buf = Unpooled.buffer();
    XdrWriter out = new XdrWriter(buf);
    Names.INSTANCE.encode(out, r.instance());
    out.writeHyper(r.expiresAtMillis());
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  static Registration decode(byte[] data) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(data));
    ServiceInstance instance = Names.INSTANCE.decode(in);
    return new Registration(instance, in.readHyper());
  }

  private static IllegalStateException unavailable(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException("ZooKeeper unavailable: " + e, e);
  }

  /** Configures a {@link ZooKeeperDirectoryStore}. */
  public static final class Builder {
    private final CuratorFramework client;
    private String basePath = "/onyx/directory";
    private Duration snapshotTtl = Duration.ofSeconds(1);

    Builder(CuratorFramework client) {
      this.client = client;
    }

    /** The znode under which entries live; default {@code /onyx/directory}. */
    public Builder basePath(String path) {
      if (!path.startsWith("/") || path.endsWith("/") || path.length() < 2) {
        throw new IllegalArgumentException("basePath must be an absolute znode path: " + path);
      }
      this.basePath = path;
      return this;
    }

    /** How old a read may be when entries change through another directory; default 1 s. */
    public Builder snapshotTtl(Duration ttl) {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("snapshotTtl must not be negative: " + ttl);
      }
      this.snapshotTtl = ttl;
      return this;
    }

    /** The store; the Curator client must be started. */
    public ZooKeeperDirectoryStore build() {
      return new ZooKeeperDirectoryStore(this);
    }
  }
}
