package org.onyxrpc.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * The default store: a map in this process, bounded by a maximum number of entries (default
 * {@value #DEFAULT_MAX_ENTRIES}). When full, expired entries are removed first; a new entry that
 * still does not fit is refused (SET answers FALSE, a lease registration is refused).
 */
public final class InMemoryDirectoryStore implements DirectoryStore {
  /** Default maximum entries: as many as a DUMP reply may carry. */
  public static final int DEFAULT_MAX_ENTRIES = Portmap.MAX_DUMP;

  private final Map<ServiceInstance.Key, Registration> entries = new ConcurrentHashMap<>();
  /** The same entries by program, for SET, UNSET and registration; changed with {@code entries}, under {@code this}. */
  private final Map<Integer, Map<ServiceInstance.Key, Registration>> byProgram = new ConcurrentHashMap<>();
  private final int maxEntries;

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
  }

  @Override
  public synchronized boolean put(Registration registration) {
    ServiceInstance.Key key = registration.instance().key();
    if (!entries.containsKey(key) && entries.size() >= maxEntries
        && (removeExpired(System.currentTimeMillis()) == 0 || entries.size() >= maxEntries)) {
      return false;
    }
    entries.put(key, registration);
    byProgram.computeIfAbsent(key.program(), p -> new ConcurrentHashMap<>()).put(key, registration);
    return true;
  }

  @Override
  public synchronized boolean remove(ServiceInstance.Key key) {
    Registration removed = entries.remove(key);
    if (removed == null) {
      return false;
    }
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
        unindex(r.instance().key());
        removed++;
      }
    }
    return removed;
  }
}
