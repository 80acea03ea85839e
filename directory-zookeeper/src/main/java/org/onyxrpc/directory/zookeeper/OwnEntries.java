package org.onyxrpc.directory.zookeeper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Owners;

/**
 * This host's entries in a {@link ZooKeeperDirectoryStore}, the truth for this host, bounded as
 * the in-memory store bounds its entries, with the keys changed since they were last written to
 * ZooKeeper. Not thread-safe: the store's lock guards it.
 */
final class OwnEntries {
  private final int maxEntries;
  /** Places for entries not the superuser's: all but an eighth, as in the in-memory store. */
  private final int maxOthers;
  /** The entries, in the order written. */
  private final Map<ServiceInstance.Key, Registration> own = new LinkedHashMap<>();
  /** The keys of {@code own} by program, for SET, UNSET and registration. */
  private final Map<Integer, Set<ServiceInstance.Key>> byProgram = new HashMap<>();
  /** What the names of their znodes take in the reply listing them. */
  private int nameBytes;
  /** Entries not the superuser's. */
  private int others;
  /** Keys put or removed since they were last written. */
  private final Set<ServiceInstance.Key> pending = new LinkedHashSet<>();

  OwnEntries(int maxEntries) {
    this.maxEntries = maxEntries;
    this.maxOthers = maxEntries - maxEntries / 8;
  }

  /** Puts {@code registration}, unless a bound forbids; true if it was put, and is then to be written. */
  boolean put(Registration registration) {
    ServiceInstance.Key key = registration.instance().key();
    // Bounded by this host's own entries only: another host registering many names must not
    // leave this one unable to register its servers. An eighth of the places is the superuser's
    // (see InMemoryDirectoryStore): any local process may SET as "unknown", permanently.
    Registration replaced = own.get(key);
    int addsOther = other(registration) - (replaced == null ? 0 : other(replaced));
    if (addsOther > 0 && others >= maxOthers) {
      return false;
    }
    if (replaced == null) {
      int name = nameBytes(key);
      if (own.size() >= maxEntries || nameBytes + name > HostsReader.MAX_NAME_BYTES) {
        return false;
      }
      nameBytes += name;
      byProgram.computeIfAbsent(key.program(), p -> new LinkedHashSet<>()).add(key);
    }
    others += addsOther;
    own.put(key, registration);
    pending.add(key);
    return true;
  }

  /** Removes the entry of {@code key}, which is then to be written; true if there was one. */
  boolean remove(ServiceInstance.Key key) {
    Registration gone = own.remove(key);
    if (gone == null) {
      return false;
    }
    others -= other(gone);
    nameBytes -= nameBytes(key);
    Set<ServiceInstance.Key> of = byProgram.get(key.program());
    of.remove(key);
    if (of.isEmpty()) {
      byProgram.remove(key.program());
    }
    pending.add(key);
    return true;
  }

  /** 1 for an entry that is not the superuser's, else 0. */
  private static int other(Registration registration) {
    return Owners.SUPERUSER.equals(registration.instance().owner()) ? 0 : 1;
  }

  /** What the znode name of an entry takes in the reply listing its host's: a length, then the name. */
  private static int nameBytes(ServiceInstance.Key key) {
    return 4 + StoredEntry.keyNode(key).length();
  }

  boolean contains(ServiceInstance.Key key) {
    return own.containsKey(key);
  }

  int size() {
    return own.size();
  }

  /** The entries whose leases have not ended at {@code nowMillis}, in the order written. */
  List<Registration> live(long nowMillis) {
    List<Registration> live = new ArrayList<>(own.size());
    for (Registration r : own.values()) {
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  /** The entries of {@code program} whose leases have not ended at {@code nowMillis}, in the order written. */
  List<Registration> live(int program, long nowMillis) {
    List<Registration> live = new ArrayList<>();
    for (ServiceInstance.Key key : byProgram.getOrDefault(program, Set.of())) {
      Registration r = own.get(key);
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  /** The keys of the entries whose leases have ended at {@code nowMillis}. */
  List<ServiceInstance.Key> expired(long nowMillis) {
    List<ServiceInstance.Key> expired = new ArrayList<>();
    for (Registration r : own.values()) {
      if (r.expired(nowMillis)) {
        expired.add(r.instance().key());
      }
    }
    return expired;
  }

  /**
   * What to write to ZooKeeper: every entry if {@code all}, else those put or removed since the
   * last call (null for a removed one); none is pending afterwards.
   */
  Map<ServiceInstance.Key, Registration> toWrite(boolean all) {
    Collection<ServiceInstance.Key> keys = all ? own.keySet() : pending;
    Map<ServiceInstance.Key, Registration> entries = new LinkedHashMap<>();
    for (ServiceInstance.Key key : keys) {
      entries.put(key, own.get(key)); // null: removed
    }
    pending.clear();
    return entries;
  }
}
