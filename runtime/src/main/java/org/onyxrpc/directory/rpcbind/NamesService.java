package org.onyxrpc.directory.rpcbind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.NamesListing;
import org.onyxrpc.internal.directory.UniversalAddresses;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * The {@link Names} protocol over the directory's table. Like SET, registration is taken only
 * from this machine unless the directory allows remote registration, and then from other
 * machines over TCP only; the owner is the caller's (see {@link Callers}). Look-ups are open to
 * anyone, like GETADDR.
 */
final class NamesService {
  private final DirectoryTable table;
  private final boolean remoteRegistration;
  private final Callers callers;
  private final CallerShares shares;
  private final CallerWriteRates rates;

  NamesService(DirectoryTable table, boolean remoteRegistration, Callers callers) {
    this(table, remoteRegistration, callers,
        new CallerShares(table, CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER), CallerWriteRates.unpaced());
  }

  NamesService(DirectoryTable table, boolean remoteRegistration, Callers callers, CallerShares shares,
      CallerWriteRates rates) {
    this.shares = shares;
    this.rates = rates;
    this.table = table;
    this.remoteRegistration = remoteRegistration;
    this.callers = callers;
  }

  ServiceDefinition definition() {
    return ServiceDefinition.builder(Names.PROGRAM, Names.VERSION)
        .procedure(Names.REGISTER, this::register)
        .procedure(Names.UNREGISTER, this::unregister)
        .procedure(Names.LOOKUP, this::lookup)
        .procedure(NamesListing.LIST, (none, ctx) -> list(ctx))
        .build();
  }

  private int register(Names.RegisterArgs args, CallContext ctx) {
    if (!mayRegister(ctx) || !registrable(args.instance(), ctx)) {
      return 0;
    }
    ServiceInstance i = args.instance();
    String address = i.address();
    if (!LocalAddresses.isLocal(ctx.remoteAddress())) {
      // A server on another machine, bound to every interface: it is where its call came from,
      // not on this machine (which a wildcard entry here would mean).
      address = fromCaller(address, RpcbindService.callerAddress(ctx));
      if (address == null) {
        // "::" registered over IPv4 (or 0.0.0.0 over IPv6): no address of that family is known
        // for the caller; or a loopback address, its own machine's; or a group's. Acknowledged,
        // not stored, so that the server's other entries go on.
        long asked = Integer.toUnsignedLong(args.leaseMillis());
        return (int) Math.max(DirectoryTable.MIN_LEASE.toMillis(), Math.min(DirectoryTable.MAX_LEASE.toMillis(), asked));
      }
    }
    ServiceInstance owned = new ServiceInstance(i.name(), i.program(), i.version(), i.netid(),
        address, callers.owner(ctx));
    Duration lease = Duration.ofMillis(Integer.toUnsignedLong(args.leaseMillis()));
    Object caller = callers.caller(ctx);
    // Refused past the caller's pace as past a share; a renewal the table skips is not charged.
    BooleanSupplier permit = rates.permit(caller, owned.owner());
    Duration granted = shares.add(caller, owned.owner(), owned.key(), true,
        () -> table.register(owned, lease, permit));
    return granted == null ? 0 : (int) granted.toMillis();
  }

  private boolean unregister(Names.RegisterArgs args, CallContext ctx) {
    if (!mayRegister(ctx) || !registrable(args.instance(), ctx)) {
      return false;
    }
    ServiceInstance i = args.instance();
    String address = LocalAddresses.isLocal(ctx.remoteAddress()) ? i.address()
        : fromCaller(i.address(), RpcbindService.callerAddress(ctx));
    return address != null && table.unregister(i.withAddress(address).key(), callers.owner(ctx),
        rates.permit(callers.caller(ctx), callers.owner(ctx)));
  }

  List<NamesListing.Listed> list(CallContext ctx) {
    return Amplification.trimOrRefuse(ctx, NamesListing.of(table, Amplification.most(ctx), shownTo(ctx)),
        NamesListing.LIST.result(), "LIST");
  }

  List<ServiceInstance> lookup(String name, CallContext ctx) {
    // Only as many as the reply may carry are sorted: a name may have thousands of entries. The
    // caller's are chosen first: before, the first 1,024 were taken and only then were socket
    // paths hidden from a remote caller, which got fewer entries than it could have (none, when
    // a name's first 1,024 were sockets).
    List<ServiceInstance> named =
        table.named(name, Math.min(Names.MAX_INSTANCES, Amplification.most(ctx)), shownTo(ctx));
    UnaryOperator<String> reachable = UniversalAddress.reachableFrom(RpcbindService.callerAddress(ctx));
    List<ServiceInstance> answer = named.stream()
        .map(i -> i.withAddress(reachable.apply(i.address())))
        .toList();
    return Amplification.trimOrRefuse(ctx, answer, Names.LOOKUP.result(), "LOOKUP");
  }

  /**
   * The entries a caller is shown: a Unix-domain socket's (a path, not a universal address) only
   * to callers on this machine, as GETADDR and GETADDRLIST show it; elsewhere the path means
   * nothing, and it told other machines what this one's socket files are called.
   */
  private static Predicate<ServiceInstance> shownTo(CallContext ctx) {
    boolean localCaller = LocalAddresses.isLocal(ctx.remoteAddress());
    return i -> i.transport() != null || localCaller;
  }

  /**
   * From this machine; with remote registration also from other machines, over TCP only. A
   * datagram's source can be forged: from anywhere that reaches the port, a forged REGISTER of a
   * wildcard address put a name on the address it claimed to come from, and a forged UNREGISTER
   * withdrew another machine's server, blind (Onyx's directory clients register over TCP).
   */
  boolean mayRegister(CallContext ctx) {
    return Callers.onThisMachine(ctx) || remoteRegistration && ctx.transport() != Transport.UDP;
  }

  /**
   * What another machine's registration of {@code uaddr} stores: a wildcard address as the
   * caller's own (same family), a specific one as is, and null (nothing stored) if the families
   * differ or the address is a loopback one. A loopback address is where that server is reached
   * on its own machine; stored here, it sent this machine's callers to a port of this machine,
   * whatever listens there. A group (multicast) or the broadcast address is no server's: stored,
   * GETADDR gave it to C clients, whose UDP calls then went to every host that joined the group.
   */
  static String fromCaller(String uaddr, InetAddress caller) {
    InetSocketAddress registered = UniversalAddress.parse(uaddr);
    if (registered.getAddress().isLoopbackAddress()
        || ServerAddresses.isGroupOrBroadcast(registered.getAddress())) {
      return null;
    }
    if (!registered.getAddress().isAnyLocalAddress()) {
      return uaddr;
    }
    InetAddress source = caller == null ? null : UniversalAddress.unmapped(caller);
    if (source == null || (source instanceof Inet6Address) != (registered.getAddress() instanceof Inet6Address)) {
      return null;
    }
    return UniversalAddress.format(new InetSocketAddress(source, registered.getPort()));
  }

  /**
   * An IP entry with a universal address, or a Unix-domain one (netid "local", a path) from a
   * caller on this machine: a socket path means nothing on another.
   */
  private static boolean registrable(ServiceInstance i, CallContext ctx) {
    if (i.netid().equals(Transport.UNIX.netid())) {
      return Callers.onThisMachine(ctx) && !i.address().isEmpty();
    }
    return i.transport() != null && UniversalAddresses.parses(i.address());
  }
}
