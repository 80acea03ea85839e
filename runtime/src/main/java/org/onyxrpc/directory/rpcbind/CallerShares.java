package org.onyxrpc.directory.rpcbind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each caller's share of the directory's entries: a caller (a uid the kernel vouched for, else a
 * source address; see {@link Callers#caller}) adds no entry past its share, so that one local
 * user, or one machine, that registers without end leaves places for the others. Before, only
 * the store's total bounded them, and the first to fill it kept every other user out. The
 * superuser has no share: root's daemons have the store's reserved eighth, and more.
 *
 * <p>The shares are counted here, beside the table, on the entries each caller added through
 * this directory server (what the process itself registers, and a shared store's other hosts'
 * entries, count in none). Entries also go without a call (a lease ends, another caller removes
 * one), so a caller at its share has its count checked against the table's live entries before
 * it is refused, and every caller's count is once together they track twice the entries a store
 * holds.
 *
 * <p>An entry counts for its owner, the caller whose call made it, as rpcbind's {@code r_owner}
 * names who made a mapping (and who alone, with root, may UNSET it). A SET of a mapping that is
 * there already adds nothing and changes no owner ({@code map_set} answers TRUE and leaves it):
 * it needs no room and moves no count, whoever sends it. A mapping that went (UNSET, or a lease
 * that ended) and is set again by another caller is that caller's, though its key was last
 * counted for the first.
 */
final class CallerShares {
  private static final Logger LOG = LoggerFactory.getLogger(CallerShares.class);
  /** Default share of one caller: a quarter of the default store. */
  static final int DEFAULT_MAX_ENTRIES_PER_CALLER = Portmap.MAX_DUMP / 4;

  /** Tracked keys past which the entries no longer live are forgotten, all callers' at once. */
  private static final int PRUNE_AT = 2 * Portmap.MAX_DUMP;

  private final DirectoryTable table;
  private final int maxPerCaller;
  /** Who added each entry; guarded by this. */
  private final Map<ServiceInstance.Key, Object> holders = new HashMap<>();
  /** Each caller's entries, the inverse of {@code holders}; guarded by this. */
  private final Map<Object, Set<ServiceInstance.Key>> held = new HashMap<>();
  private final RateLimitedLog refusals = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  CallerShares(DirectoryTable table, int maxPerCaller) {
    this.table = table;
    this.maxPerCaller = maxPerCaller;
  }

  /**
   * Runs {@code add}, a SET or registration of {@code key} by {@code caller} owned by {@code
   * owner}, unless it would take the caller past its share; returns what it returned (null: not
   * added), or null if it did not run. An entry the call makes counts in the caller's share from
   * then on; a registration that renews or replaces an entry takes it into its own share ({@code
   * replaces}); a SET of an entry already there changes nothing and needs no room.
   */
  synchronized <T> T add(Object caller, String owner, ServiceInstance.Key key, boolean replaces,
      Supplier<T> add) {
    if (replaces && caller.equals(holders.get(key))) {
      return add.get(); // a renewal of its own registration: counted already, and stays so
    }
    // The table's own lock (its methods are synchronized) for the look and the add together: no
    // UNSET between them may turn a SET we took for a no-op into a new entry counted for no one.
    synchronized (table) {
      boolean live = table.localKeys().contains(key);
      if (!replaces && live) {
        return add.get(); // map_set's "already registered": no entry made, none moved
      }
      if (!live) {
        forget(key); // a gone entry's count: the key is whoever sets it now's
      }
      boolean counted = !Owners.SUPERUSER.equals(owner);
      if (counted && !caller.equals(holders.get(key)) && !hasRoom(caller)) {
        refusals.warn(LOG, "refusing an entry of {}: it holds its share of {} entries",
            Callers.describe(caller), maxPerCaller);
        return null;
      }
      T added = add.get();
      if (added != null && !caller.equals(holders.get(key))) {
        forget(key);
        if (counted) {
          holders.put(key, caller);
          held.computeIfAbsent(caller, c -> new HashSet<>()).add(key);
          if (holders.size() > PRUNE_AT) {
            prune(table.localKeys());
          }
        }
      }
      return added;
    }
  }

  /** Whether {@code caller} may add an entry: under its share, once the entries gone are counted out. */
  private boolean hasRoom(Object caller) {
    Set<ServiceInstance.Key> keys = held.get(caller);
    if (keys == null || keys.size() < maxPerCaller) {
      return true;
    }
    Set<ServiceInstance.Key> live = table.localKeys();
    for (Iterator<ServiceInstance.Key> i = keys.iterator(); i.hasNext(); ) {
      ServiceInstance.Key key = i.next();
      if (!live.contains(key)) {
        i.remove();
        holders.remove(key);
      }
    }
    if (keys.isEmpty()) {
      held.remove(caller);
    }
    return keys.size() < maxPerCaller;
  }

  /** Forgets every entry no longer in {@code live}. */
  private void prune(Set<ServiceInstance.Key> live) {
    for (ServiceInstance.Key key : Set.copyOf(holders.keySet())) {
      if (!live.contains(key)) {
        forget(key);
      }
    }
  }

  private void forget(ServiceInstance.Key key) {
    Object holder = holders.remove(key);
    if (holder != null) {
      Set<ServiceInstance.Key> keys = held.get(holder);
      keys.remove(key);
      if (keys.isEmpty()) {
        held.remove(holder);
      }
    }
  }

  /** How many entries {@code caller} is counted for (for tests). */
  synchronized int count(Object caller) {
    Set<ServiceInstance.Key> keys = held.get(caller);
    return keys == null ? 0 : keys.size();
  }
}
