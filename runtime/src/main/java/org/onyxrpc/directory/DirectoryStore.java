package org.onyxrpc.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a directory keeps its entries. Two implementations: {@link InMemoryDirectoryStore}, the
 * default, and a ZooKeeper store (module {@code onyx-directory-zookeeper}) for a directory shared
 * by many machines. The directory's rules (who may set what, leases, look-ups) are applied above
 * the store, so a store only keeps, replaces, removes and lists.
 *
 * <p>Implementations are thread-safe. {@link #list} must never return an expired entry, even if
 * its removal has not happened yet.
 */
public interface DirectoryStore extends AutoCloseable {
  /**
   * Adds, or replaces the entry with the same key; returns false if the store is full.
   *
   * @param registration the instance, its owner and when its lease ends
   * @return true if stored
   */
  boolean put(Registration registration);

  /**
   * Removes the entry with this key; returns true if there was one.
   *
   * @param key what identifies the entry: program, version, netid and address
   * @return true if an entry was removed
   */
  boolean remove(ServiceInstance.Key key);

  /**
   * Every entry whose lease has not ended at {@code nowMillis}.
   *
   * @param nowMillis the time, in milliseconds of the directory's clock
   * @return the live entries
   */
  List<Registration> list(long nowMillis);

  /**
   * The entries of this host among {@link #list}: what {@code rpcinfo -p} on this host shows and
   * what rpcbind's SET and UNSET act on. A store shared by many machines lists here only the
   * entries registered through this host's directory; the default, for a store of one machine,
   * is every entry.
   *
   * @param nowMillis the time, in milliseconds of the directory's clock
   * @return this host's live entries
   */
  default List<Registration> listLocal(long nowMillis) {
    return list(nowMillis);
  }

  /**
   * The entries of one program, every version, among {@link #listLocal}: what SET, UNSET and
   * registration look at, so that each looks at the few entries of its program rather than at
   * every entry of the host. The default filters {@link #listLocal}; a store of many entries
   * indexes them by program.
   *
   * @param program the program number
   * @param nowMillis the time, in milliseconds of the directory's clock
   * @return this host's live entries of {@code program}
   */
  default List<Registration> listLocal(int program, long nowMillis) {
    List<Registration> of = new ArrayList<>();
    for (Registration r : listLocal(nowMillis)) {
      if (r.instance().program() == program) {
        of.add(r);
      }
    }
    return of;
  }

  /**
   * Whether the store answers from current or from last known state; the default is always current.
   *
   * @return current, or the last known state while the backing store is unreachable
   */
  default StoreState state() {
    return StoreState.CURRENT;
  }

  /**
   * Removes the entries whose lease ended before {@code nowMillis}; returns how many.
   *
   * @param nowMillis the time, in milliseconds of the directory's clock
   * @return the number removed
   */
  int removeExpired(long nowMillis);

  /** Releases what the store holds; the default does nothing. */
  @Override
  default void close() {}
}
