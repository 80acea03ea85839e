package org.onyxrpc.directory.rpcbind;

import java.time.Duration;
import java.util.List;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.LocalAddresses;
import org.onyxrpc.directory.Names;
import org.onyxrpc.directory.NamesListing;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.ServiceDefinition;

/**
 * The {@link Names} protocol over the directory's table. Like SET, registration is taken only
 * from this machine unless the directory allows remote registration; the owner is the caller's
 * (see {@link Callers}). Look-ups are open to anyone, like GETADDR.
 */
final class NamesService {
  private final DirectoryTable table;
  private final boolean remoteRegistration;

  NamesService(DirectoryTable table, boolean remoteRegistration) {
    this.table = table;
    this.remoteRegistration = remoteRegistration;
  }

  ServiceDefinition definition() {
    return ServiceDefinition.builder(Names.PROGRAM, Names.VERSION)
        .procedure(Names.REGISTER, this::register)
        .procedure(Names.UNREGISTER, this::unregister)
        .procedure(Names.LOOKUP, this::lookup)
        .procedure(NamesListing.LIST, (none, ctx) -> Amplification.trim(ctx, NamesListing.of(table), NamesListing.LIST.result()))
        .build();
  }

  private int register(Names.RegisterArgs args, CallContext ctx) {
    if (!mayRegister(ctx) || args.instance().transport() == null || !parses(args.instance().address())) {
      return 0;
    }
    ServiceInstance i = args.instance();
    ServiceInstance owned = new ServiceInstance(i.name(), i.program(), i.version(), i.netid(),
        i.address(), Callers.owner(ctx));
    Duration granted = table.register(owned, Duration.ofMillis(Integer.toUnsignedLong(args.leaseMillis())));
    return granted == null ? 0 : (int) granted.toMillis();
  }

  private boolean unregister(Names.RegisterArgs args, CallContext ctx) {
    return mayRegister(ctx) && table.unregister(args.instance().key(), Callers.owner(ctx));
  }

  private List<ServiceInstance> lookup(String name, CallContext ctx) {
    List<ServiceInstance> named = table.named(name);
    List<ServiceInstance> reachable = named.stream()
        .limit(Names.MAX_INSTANCES)
        .map(i -> i.withAddress(UniversalAddress.reachableFrom(i.address(), RpcbindService.callerAddress(ctx))))
        .toList();
    return Amplification.trim(ctx, reachable, Names.LOOKUP.result());
  }

  private boolean mayRegister(CallContext ctx) {
    return remoteRegistration || LocalAddresses.isLocal(ctx.remoteAddress());
  }

  private static boolean parses(String uaddr) {
    try {
      UniversalAddress.parse(uaddr);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
