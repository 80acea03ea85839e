package org.onyxrpc.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * The default store: a map in this process, bounded by a maximum number of entries (default
 * {@value #DEFAULT_MAX_ENTRIES}). When full, expired entries are removed first; a new entry that
 * still does not fit is refused (SET answers FALSE, a lease registration is refused).
 *
 * <p>An eighth of the places is kept for the superuser's entries (those the kernel vouched were
 * root's, through the local socket: NFS's mountd and statd register there): entries of every
 * other owner together fill at most the rest. Any local process may SET as {@code unknown}, over
 * loopback, and permanently; before, one that filled the store kept root's services from
 * registering until someone removed its entries.
 */
public final class InMemoryDirectoryStore implements DirectoryStore {
  /** Default maximum entries: as many as a DUMP reply may carry. */
  public static final int DEFAULT_MAX_ENTRIES = Portmap.MAX_DUMP;

  private final Map<ServiceInstance.Key, Registration> entries = new ConcurrentHashMap<>();
  /** The same entries by program, for SET, UNSET and registration; changed with {@code entries}, under {@code this}. */
  private final Map<Integer, Map<ServiceInstance.Key, Registration>> byProgram = new ConcurrentHashMap<>();
  private final int maxEntries;
  /** Places for entries not the superuser's: all but an eighth. */
  private final int maxOthers;
  /** Entries not the superuser's; changed under {@code this}. */
  private int others;

  /** A store of at most {@value #DEFAULT_MAX_ENTRIES} entries. */
  public InMemoryDirectoryStore() {
    this(DEFAULT_MAX_ENTRIES);
  }

  /**
   * A store of at most {@code maxEntries} entries (1..{@value #DEFAULT_MAX_ENTRIES}).
   *
   * @param maxEntries 1..{@value #DEFAULT_MAX_ENTRIES}
   * @throws IllegalArgumentException if {@code maxEntries} is out of range
   */
  public InMemoryDirectoryStore(int maxEntries) {
    if (maxEntries < 1 || maxEntries > DEFAULT_MAX_ENTRIES) {
      throw new IllegalArgumentException("maxEntries must be 1.." + DEFAULT_MAX_ENTRIES + ": " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.maxOthers = maxEntries - maxEntries / 8;
  }

  @Override
  public synchronized boolean put(Registration registration) {
    ServiceInstance.Key key = registration.instance().key();
    if (!fits(registration) && (removeExpired(System.currentTimeMillis()) == 0 || !fits(registration))) {
      return false;
    }
    Registration replaced = entries.put(key, registration);
    others += other(registration) - (replaced == null ? 0 : other(replaced));
    byProgram.computeIfAbsent(key.program(), p -> new ConcurrentHashMap<>()).put(key, registration);
    return true;
  }

  /** Whether {@code registration} may be put: a place for it, and for another owner's, one of theirs. */
  private boolean fits(Registration registration) {
    Registration replaced = entries.get(registration.instance().key());
    if (replaced == null && entries.size() >= maxEntries) {
      return false;
    }
    return other(registration) == 0 || replaced != null && other(replaced) == 1 || others < maxOthers;
  }

  /** 1 for an entry that is not the superuser's, else 0. */
  private static int other(Registration registration) {
    return Owners.SUPERUSER.equals(registration.instance().owner()) ? 0 : 1;
  }

  @Override
  public synchronized boolean remove(ServiceInstance.Key key) {
    Registration removed = entries.remove(key);
    if (removed == null) {
      return false;
    }
    others -= other(removed);
    unindex(key);
    return true;
  }

  private void unindex(ServiceInstance.Key key) {
    byProgram.computeIfPresent(key.program(), (p, of) -> {
      of.remove(key);
      return of.isEmpty() ? null : of;
    });
  }

  @Override
  public List<Registration> list(long nowMillis) {
    List<Registration> live = new ArrayList<>(entries.size());
    for (Registration r : entries.values()) {
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  @Override
  public List<Registration> listLocal(int program, long nowMillis) {
    Map<ServiceInstance.Key, Registration> of = byProgram.get(program);
    if (of == null) {
      return List.of();
    }
    List<Registration> live = new ArrayList<>(of.size());
    for (Registration r : of.values()) {
      if (!r.expired(nowMillis)) {
        live.add(r);
      }
    }
    return live;
  }

  @Override
  public synchronized int removeExpired(long nowMillis) {
    int removed = 0;
    for (Registration r : entries.values()) {
      if (r.expired(nowMillis) && entries.remove(r.instance().key(), r)) {
        others -= other(r);
        unindex(r.instance().key());
        removed++;
      }
    }
    return removed;
  }

  /** Named in messages ("local directory over in-memory store of at most 4096 entries"). */
  @Override
  public String toString() {
    return "in-memory store of at most " + maxEntries + " entries";
  }
}
