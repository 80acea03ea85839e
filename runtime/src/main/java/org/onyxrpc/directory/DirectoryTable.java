package org.onyxrpc.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.onyxrpc.internal.rpcbind.FirstInOrder;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * The directory's rules over a {@link DirectoryStore}, shared by the rpcbind protocols, the
 * names protocol and the embedded directory. A {@link LocalDirectory} holds one ({@link
 * LocalDirectory#table()}); the protocol services that serve it to other processes apply them
 * on behalf of their callers, naming each caller's owner (see {@link Owners}):
 *
 * <ul>
 *   <li>SET is rpcbind's: refused if the program, version and netid are already mapped, and
 *       permanent until UNSET; refused too on another netid of a program version that another
 *       owner holds by the kernel's word (below), which rpcbind would take.
 *   <li>UNSET removes only the caller's own entries, unless the caller is the superuser.
 *   <li>A named registration carries a lease between {@link #MIN_LEASE} and {@link #MAX_LEASE};
 *       registering the same key again renews it. It may replace an entry of the same key only if
 *       that entry is the caller's own (or the caller is the superuser). It may not add an
 *       instance to a program version, nor to a name and version, that another owner holds on
 *       this host by the kernel's word (a uid, not "unknown") while that owner's entries live,
 *       under whatever name, program or netid: it would take a share of the calls meant for them.
 * </ul>
 */
public final class DirectoryTable {
  /** Shortest lease granted. */
  public static final Duration MIN_LEASE = Duration.ofMillis(100);
  /** Longest lease granted. */
  public static final Duration MAX_LEASE = Duration.ofHours(1);
  /**
   * A renewal that would move its lease's end by less than this part of the lease is answered
   * without writing the store (see {@link #register}).
   */
  private static final int RENEWAL_STEP = 10;

  private static final Comparator<ServiceInstance> ORDER = Comparator
      .comparingLong((ServiceInstance i) -> Integer.toUnsignedLong(i.program()))
      .thenComparingLong(i -> Integer.toUnsignedLong(i.version()))
      .thenComparing(ServiceInstance::netid)
      .thenComparing(ServiceInstance::address);

  private final DirectoryStore store;
  private final LongSupplier clock;
  private final Runnable leased;

  DirectoryTable(DirectoryStore store, LongSupplier clock) {
    this(store, clock, () -> {});
  }

  /** {@code leased} runs after each registration with a lease, which will need sweeping. */
  DirectoryTable(DirectoryStore store, LongSupplier clock, Runnable leased) {
    this.store = store;
    this.clock = clock;
    this.leased = leased;
  }

  /**
   * The time by the table's clock, in milliseconds since the epoch: what leases start from (the
   * system's clock, or the one a test gave its {@link LocalDirectory}). A directory server paces
   * each caller's changes of the store by it too.
   *
   * @return the table's time now
   */
  public long millis() {
    return clock.getAsLong();
  }

  /**
   * The store under these rules.
   *
   * @return the store the table reads and writes
   */
  public DirectoryStore store() {
    return store;
  }

  /**
   * rpcbind SET: maps a program version on a netid, unless it is mapped already; returns true if
   * it did, or if it was mapped at this very address already. That is rpcbind's answer too
   * ({@code map_set}): a C server that registers again where it is registered (one at a fixed
   * port, restarted without unsetting, as {@code svc_create} does) must not be told it failed.
   * Another address is refused, and the entry there is left as it was, owner included. So is
   * another netid of a program version that another owner holds by the kernel's word (see
   * {@link #register}): rpcbind takes it, but here the caller would then hold the version too.
   *
   * @param instance the mapping, its owner the caller's
   * @return true if mapped, now or already at this address
   */
  public synchronized boolean set(ServiceInstance instance) {
    return set(instance, () -> true);
  }

  /**
   * {@link #set(ServiceInstance)}, asking {@code mayWrite} just before the store is written (not
   * for a mapping already at this address, which is left as it is): false refuses the change.
   *
   * @param instance the mapping, its owner the caller's
   * @param mayWrite asked once, before the write only; false refuses it
   * @return true if mapped, now or already at this address
   */
  public synchronized boolean set(ServiceInstance instance, BooleanSupplier mayWrite) {
    boolean taken = false;
    for (ServiceInstance i : localOf(instance.program())) {
      if (i.version() == instance.version() && i.netid().equals(instance.netid())) {
        if (i.address().equals(instance.address())) {
          return true;
        }
        taken = true;
      } else if (squats(instance, i)) {
        taken = true;
      }
    }
    return !taken && mayWrite.getAsBoolean() && store.put(new Registration(instance, Registration.PERMANENT));
  }

  /**
   * rpcbind UNSET: removes {@code owner}'s mappings of a program version on a netid ("" = all),
   * or anyone's if {@code owner} is the superuser. Returns false if a mapping it names is another
   * owner's (left in place) or could not be removed; true otherwise, when none was there too, as
   * rpcbind's {@code map_unset} answers (so {@code rpcinfo -d} of a program not registered, and
   * a C server's {@code pmap_unset} before it registers, succeed).
   *
   * @param program the program number
   * @param version the version number
   * @param netid a netid, or empty for every netid
   * @param owner the caller: "superuser", a uid in decimal, or "unknown"
   * @return false if a mapping named is another owner's or could not be removed
   */
  public synchronized boolean unset(int program, int version, String netid, String owner) {
    return unset(program, version, netid, owner, () -> true);
  }

  /**
   * {@link #unset(int, int, String, String)}, asking {@code mayWrite} before each removal (not
   * when nothing is there to remove): false keeps the mapping and answers false.
   *
   * @param program the program number
   * @param version the version number
   * @param netid a netid, or empty for every netid
   * @param owner the caller: "superuser", a uid in decimal, or "unknown"
   * @param mayWrite asked before each removal only; false refuses it
   * @return false if a mapping named is another owner's, could not be removed, or was refused
   */
  public synchronized boolean unset(int program, int version, String netid, String owner,
      BooleanSupplier mayWrite) {
    boolean done = true;
    for (ServiceInstance i : localOf(program)) {
      if (i.program() == program && i.version() == version
          && (netid.isEmpty() || i.netid().equals(netid))) {
        done &= mayChange(owner, i) && mayWrite.getAsBoolean() && store.remove(i.key());
      }
    }
    return done;
  }

  /**
   * Registers a named instance for {@code lease} (clamped to the limits); returns the lease
   * granted, or null if refused (another owner's entry, or its program version, or its name and
   * version, held by another owner the kernel vouched for, or the store is full). A renewal of
   * the caller's own entry that would move its lease's end by less than a tenth of the lease
   * leaves the store as it is and returns what the entry has left.
   *
   * @param instance the instance, its owner the caller's
   * @param lease the lease asked for, clamped to {@link #MIN_LEASE}..{@link #MAX_LEASE}
   * @return the lease granted, or null
   */
  public synchronized Duration register(ServiceInstance instance, Duration lease) {
    return register(instance, lease, () -> true);
  }

  /**
   * {@link #register(ServiceInstance, Duration)}, asking {@code mayWrite} just before the store
   * is written (not for a renewal left unwritten): false refuses it.
   *
   * @param instance the instance, its owner the caller's
   * @param lease the lease asked for, clamped to {@link #MIN_LEASE}..{@link #MAX_LEASE}
   * @param mayWrite asked once, before the write only; false refuses it
   * @return the lease granted, or null
   */
  public synchronized Duration register(ServiceInstance instance, Duration lease, BooleanSupplier mayWrite) {
    Duration granted = lease.compareTo(MIN_LEASE) < 0 ? MIN_LEASE
        : lease.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : lease;
    long now = clock.getAsLong();
    List<Registration> held = store.listLocal(instance.program(), now);
    List<ServiceInstance> entries = instances(held);
    Registration renewed = null;
    for (Registration r : held) {
      ServiceInstance i = r.instance();
      if (i.key().equals(instance.key())) {
        if (!mayChange(instance.owner(), i)) {
          return null;
        }
        if (i.name().equals(instance.name()) && i.owner().equals(instance.owner())) {
          renewed = r;
        }
      }
    }
    boolean renewal = renewed != null;
    long expires = now + granted.toMillis();
    if (renewal && renewed.expiresAtMillis() != Registration.PERMANENT
        && expires >= renewed.expiresAtMillis()
        && expires - renewed.expiresAtMillis() < granted.toMillis() / RENEWAL_STEP) {
      // A renewal sooner than any owner needs (a server renews every third of its lease): the
      // store is not written for it, which over ZooKeeper is a write of the shared ensemble, as
      // often as a caller liked. The answer is what the entry has left, never more.
      return Duration.ofMillis(renewed.expiresAtMillis() - now);
    }
    // A renewal adds no instance: its owner keeps it whoever else holds the version too (the
    // superuser may have added one), where a squat check would let its lease run out.
    if (!renewal) {
      for (ServiceInstance i : entries) {
        if (squats(instance, i)) {
          return null;
        }
      }
      if (!instance.name().isEmpty() && squatsNameElsewhere(instance)) {
        return null;
      }
    }
    if (!mayWrite.getAsBoolean() || !store.put(new Registration(instance, expires))) {
      return null;
    }
    leased.run();
    return granted;
  }

  /**
   * Removes one instance, if it is {@code owner}'s (or {@code owner} is the superuser); true if removed.
   *
   * @param key the instance's key
   * @param owner the caller
   * @return true if removed
   */
  public synchronized boolean unregister(ServiceInstance.Key key, String owner) {
    return unregister(key, owner, () -> true);
  }

  /**
   * {@link #unregister(ServiceInstance.Key, String)}, asking {@code mayWrite} just before the
   * store is written (not when there is nothing of the owner's to remove): false refuses it.
   *
   * @param key the instance's key
   * @param owner the caller
   * @param mayWrite asked once, before the write only; false refuses it
   * @return true if removed
   */
  public synchronized boolean unregister(ServiceInstance.Key key, String owner, BooleanSupplier mayWrite) {
    for (ServiceInstance i : localOf(key.program())) {
      if (i.key().equals(key)) {
        return mayChange(owner, i) && mayWrite.getAsBoolean() && store.remove(key);
      }
    }
    return false;
  }

  /**
   * The entry of a program on a netid: this version's if there is one, else (unless
   * {@code exactVersion}) its highest version's, so the caller learns of a version mismatch from
   * the server itself, as rpcbind's GETADDR and portmap's GETPORT do. This host's entries come
   * first (see {@link #local}), then other hosts' of a shared store.
   *
   * @param program the program number
   * @param version the version wanted
   * @param netid the netid wanted
   * @param exactVersion whether another version of the program will not do
   * @return the entry, or empty
   * @throws RpcException SYSTEM_ERR if none is found while the store is not {@link StoreState#CURRENT}
   */
  public Optional<ServiceInstance> find(int program, int version, String netid, boolean exactVersion) {
    Optional<ServiceInstance> here = findLocal(program, version, netid, exactVersion);
    if (here.isPresent()) {
      return here;
    }
    Optional<ServiceInstance> found = find(instances(store.list(clock.getAsLong())), program, version, netid,
        exactVersion);
    if (found.isEmpty()) {
      requireCurrent(ProgramVersion.describe(program, version));
    }
    return found;
  }

  /**
   * As {@link #find}, among this host's entries only: for portmap's GETPORT, whose answer (a port)
   * means a port of the host asked.
   *
   * @param program the program number
   * @param version the version wanted
   * @param netid the netid wanted
   * @param exactVersion whether another version of the program will not do
   * @return the entry, or empty
   */
  public Optional<ServiceInstance> findLocal(int program, int version, String netid, boolean exactVersion) {
    return find(localOf(program), program, version, netid, exactVersion);
  }

  /**
   * The first entry of the version asked in {@link #ORDER}, else (unless exact) the highest other
   * version: found in one pass rather than by sorting every entry.
   */
  private static Optional<ServiceInstance> find(List<ServiceInstance> entries, int program, int version,
      String netid, boolean exactVersion) {
    ServiceInstance same = null;
    ServiceInstance other = null;
    for (ServiceInstance i : entries) {
      if (i.program() == program && i.netid().equals(netid)) {
        if (i.version() == version) {
          same = first(same, i);
        } else {
          other = highest(other, i);
        }
      }
    }
    return Optional.ofNullable(same != null || exactVersion ? same : other);
  }

  private static ServiceInstance first(ServiceInstance a, ServiceInstance b) {
    return a == null || ORDER.compare(b, a) < 0 ? b : a;
  }

  /**
   * The highest version, as rpcbind answers with the last one registered (servers register theirs
   * in ascending order): libtirpc's clnt_create_vers then asks that server's range and settles on
   * the highest version both sides have. Among equal versions, the first in {@link #ORDER}.
   */
  private static ServiceInstance highest(ServiceInstance a, ServiceInstance b) {
    if (a == null) {
      return b;
    }
    int byVersion = Integer.compareUnsigned(b.version(), a.version());
    return byVersion > 0 || byVersion == 0 && ORDER.compare(b, a) < 0 ? b : a;
  }

  /**
   * Every live entry, by program, version, netid and address.
   *
   * @return the entries, sorted
   */
  public List<ServiceInstance> live() {
    return sorted(instances(store.list(clock.getAsLong())));
  }

  /**
   * The live entries of this host (see {@link DirectoryStore#listLocal}): what DUMP lists and
   * what SET, UNSET and registration act on. Every machine's entries of a shared store are in
   * {@link #live}.
   *
   * @return the entries, sorted
   */
  public List<ServiceInstance> local() {
    return sorted(instances(store.listLocal(clock.getAsLong())));
  }

  /**
   * The first {@code most} of {@link #local()}, found without sorting every entry: for a reply
   * that can carry only a few (a UDP DUMP from another machine, cut to its call's size), which
   * would otherwise sort thousands of entries to send none of them.
   *
   * @param most how many entries at most, 0 or more
   * @return the entries, sorted
   */
  public List<ServiceInstance> local(int most) {
    return local(most, i -> true);
  }

  /**
   * As {@link #local(int)}, of the entries {@code shown} accepts only: they are chosen before
   * the first {@code most} are taken, so that entries a caller is not shown (a Unix-domain
   * socket's, to a caller on another machine) take no place of those it is.
   *
   * @param most how many entries at most, 0 or more
   * @param shown which entries count; not null
   * @return the entries, sorted
   */
  public List<ServiceInstance> local(int most, Predicate<ServiceInstance> shown) {
    List<ServiceInstance> candidates = new ArrayList<>();
    for (Registration r : store.listLocal(clock.getAsLong())) {
      if (shown.test(r.instance())) {
        candidates.add(r.instance());
      }
    }
    return Collections.unmodifiableList(FirstInOrder.of(candidates, ORDER, most));
  }

  /**
   * The keys of this host's live entries, in no order: cheaper than {@link #local()}, which
   * sorts them; for accounting kept beside the table (whose entries also end by their leases).
   *
   * @return the keys of {@link #local()}
   */
  public Set<ServiceInstance.Key> localKeys() {
    List<Registration> live = store.listLocal(clock.getAsLong());
    Set<ServiceInstance.Key> keys = new HashSet<>(live.size() * 2);
    for (Registration r : live) {
      keys.add(r.instance().key());
    }
    return keys;
  }

  /** This host's live entries of one program, in no order: the few that SET, UNSET and registration look at. */
  private List<ServiceInstance> localOf(int program) {
    return instances(store.listLocal(program, clock.getAsLong()));
  }

  private static List<ServiceInstance> instances(List<Registration> registrations) {
    List<ServiceInstance> instances = new ArrayList<>(registrations.size());
    for (Registration r : registrations) {
      instances.add(r.instance());
    }
    return instances;
  }

  private static List<ServiceInstance> sorted(List<ServiceInstance> instances) {
    instances.sort(ORDER);
    return Collections.unmodifiableList(instances);
  }

  /**
   * The live entries named {@code name}.
   *
   * @param name a service name
   * @return the entries, sorted
   * @throws RpcException SYSTEM_ERR if there are none while the store is not {@link StoreState#CURRENT}
   */
  public List<ServiceInstance> named(String name) {
    return sorted(namedInAnyOrder(name));
  }

  /**
   * The first {@code most} of {@link #named(String)}, found without sorting every entry of the
   * name: for a LOOKUP reply that can carry only a few (a UDP LOOKUP from another machine, cut to
   * its call's size), which would otherwise sort the thousands a name may have to send a handful.
   *
   * @param name a service name
   * @param most how many entries at most, 0 or more
   * @return the entries, sorted
   * @throws RpcException SYSTEM_ERR if there are none while the store is not {@link StoreState#CURRENT}
   */
  public List<ServiceInstance> named(String name, int most) {
    return named(name, most, i -> true);
  }

  /**
   * As {@link #named(String, int)}, of the entries {@code shown} accepts only: they are chosen
   * before the first {@code most} are taken, so that entries a caller is not shown (a Unix-domain
   * socket's, to a caller on another machine) take no place of those it is.
   *
   * @param name a service name
   * @param most how many entries at most, 0 or more
   * @param shown which entries count; not null
   * @return the entries, sorted
   * @throws RpcException SYSTEM_ERR if there are none while the store is not {@link StoreState#CURRENT}
   */
  public List<ServiceInstance> named(String name, int most, Predicate<ServiceInstance> shown) {
    return Collections.unmodifiableList(FirstInOrder.of(namedInAnyOrder(name, shown), ORDER, most));
  }

  private List<ServiceInstance> namedInAnyOrder(String name) {
    return namedInAnyOrder(name, i -> true);
  }

  private List<ServiceInstance> namedInAnyOrder(String name, Predicate<ServiceInstance> shown) {
    List<ServiceInstance> named = new ArrayList<>();
    for (Registration r : store.list(clock.getAsLong())) {
      if (r.instance().name().equals(name) && shown.test(r.instance())) {
        named.add(r.instance());
      }
    }
    if (named.isEmpty()) {
      requireCurrent("name " + name);
    }
    return named;
  }

  /**
   * The live entries of a program version: this host's first (as {@link #find} prefers them),
   * then a shared store's other hosts', each part sorted.
   *
   * @param program the program number
   * @param version the version number
   * @return the entries
   * @throws RpcException SYSTEM_ERR if there are none while the store is not {@link StoreState#CURRENT}
   */
  public List<ServiceInstance> ofVersion(int program, int version) {
    long now = clock.getAsLong();
    List<ServiceInstance> here = new ArrayList<>();
    Set<ServiceInstance.Key> seen = new HashSet<>();
    for (Registration r : store.listLocal(program, now)) {
      if (r.instance().version() == version && seen.add(r.instance().key())) {
        here.add(r.instance());
      }
    }
    List<ServiceInstance> elsewhere = new ArrayList<>();
    for (Registration r : store.list(now)) {
      ServiceInstance i = r.instance();
      if (i.program() == program && i.version() == version && seen.add(i.key())) {
        elsewhere.add(i);
      }
    }
    if (here.isEmpty() && elsewhere.isEmpty()) {
      requireCurrent(ProgramVersion.describe(program, version));
    }
    here.sort(ORDER);
    elsewhere.sort(ORDER);
    here.addAll(elsewhere);
    return Collections.unmodifiableList(here);
  }

  /**
   * Nothing found is an answer only from a current store: one that cannot reach the machines it
   * shares entries with does not know what they registered, and "not registered" would be a
   * guess (a client told so drops the instances it knew; told an error, it keeps them).
   */
  private void requireCurrent(String what) {
    StoreState state = store.state();
    if (state != StoreState.CURRENT) {
      throw new RpcException(RpcStatus.SYSTEM_ERR, "no entry of " + what + " known, and " + store
          + " is " + state + ": cannot tell whether another machine has one");
    }
  }

  /**
   * Whether the store holds no live entry: cheaper than {@link #live}, which sorts them.
   *
   * @return true if no entry is live
   */
  boolean isEmpty() {
    return store.list(clock.getAsLong()).isEmpty();
  }

  /** Removes entries whose lease ended; returns how many. */
  int expire() {
    return store.removeExpired(clock.getAsLong());
  }

  /**
   * Whether {@code newcomer} would join a name, or a program version, that {@code held}'s owner
   * holds on this host by the kernel's word: it would take a share of the calls meant for that
   * owner's servers, those of clients of the name and of clients that look the program up by
   * number (GETADDR answers with the first entry, whatever its name), whatever the newcomer's
   * name and netid. An owner only claimed ("unknown") holds nothing against anyone.
   */
  private static boolean squats(ServiceInstance newcomer, ServiceInstance held) {
    boolean same = held.version() == newcomer.version() && (held.program() == newcomer.program()
        || !newcomer.name().isEmpty() && held.name().equals(newcomer.name()));
    return same && !Owners.UNKNOWN.equals(held.owner()) && !mayChange(newcomer.owner(), held);
  }

  /**
   * Whether {@code newcomer} would join its name under another program than the one it holds
   * there: a look-up of the name lists every program's entries, lowest program first, and the
   * first is what a caller that knows only the name ({@code onyx ping NAME}) calls. Every entry
   * of this host is read, without sorting, and only for a named registration.
   */
  private boolean squatsNameElsewhere(ServiceInstance newcomer) {
    for (Registration r : store.listLocal(clock.getAsLong())) {
      ServiceInstance held = r.instance();
      if (held.program() != newcomer.program() && squats(newcomer, held)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayChange(String owner, ServiceInstance existing) {
    return Owners.SUPERUSER.equals(owner) || existing.owner().equals(owner);
  }
}
