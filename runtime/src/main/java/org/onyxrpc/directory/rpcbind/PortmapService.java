package org.onyxrpc.directory.rpcbind;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.Xdr;

/**
 * Portmap version 2 (RFC 1833 §3) over the directory's table. A port mapping is the rpcbind
 * entry for netid "tcp" or "udp" (IPv4); SET registers the wildcard address, as rpcbind does.
 */
final class PortmapService {
  private final DirectoryTable table;
  private final RpcbCounters stats;
  private final RemoteCalls remoteCalls;
  private final Callers callers;
  private final CallerShares shares;
  private final CallerWriteRates rates;

  PortmapService(DirectoryTable table, RpcbCounters stats, RemoteCalls remoteCalls, Callers callers,
      CallerShares shares, CallerWriteRates rates) {
    this.shares = shares;
    this.rates = rates;
    this.table = table;
    this.stats = stats;
    this.remoteCalls = remoteCalls;
    this.callers = callers;
  }

  ServiceDefinition definition() {
    return ServiceDefinition.builder(Portmap.PROGRAM, Portmap.VERSION)
        .procedure(Portmap.NULL, (v, ctx) -> RpcbindService.ping(stats, ctx))
        .procedure(Portmap.SET, this::set)
        .procedure(Portmap.UNSET, this::unset)
        .procedure(Portmap.GETPORT, this::getPort)
        .procedure(Portmap.DUMP, (v, ctx) -> dump(ctx))
        .asyncProcedure(Portmap.CALLIT, (args, ctx) -> {
          stats.call(Portmap.VERSION, ctx.procedure());
          if (args == null) {
            return CompletableFuture.failedFuture(RpcbindService.undecodable());
          }
          RpcException refused = RefusedIndirectCalls.refusal(args);
          if (refused != null) { // answered, not silent, as rpcbind answers it
            return CompletableFuture.failedFuture(refused);
          }
          return remoteCalls.forward(args, RemoteCalls.netids(ctx, "udp", "tcp"), Callers.onThisMachine(ctx),
              RemoteCalls.caller(ctx), RemoteCalls.claimed(ctx))
              .handle((done, failure) -> {
                stats.indirect(Portmap.VERSION, args.program(), args.version(), args.procedure(), "udp",
                    failure == null);
                if (failure != null) {
                  throw RpcbindService.failed(failure, true); // RFC 1833: silent when it fails
                }
                Portmap.CallResult result =
                    new Portmap.CallResult(done.target().socketAddress().getPort(), done.results());
                if (!fitsUdp(ctx, args, result)) {
                  throw RpcbindService.failed(RpcbindService.tooLargeForUdp(), true);
                }
                return result;
              });
        })
        .build();
  }

  /**
   * True if CALLIT's reply may answer this call ({@link Amplification}): both counted as XDR pads
   * them on the wire, prog, vers, proc and opaque arguments against port and opaque results.
   */
  static boolean fitsUdp(CallContext ctx, Rpcb.CallArgs args, Portmap.CallResult result) {
    return Amplification.fits(ctx, 16 + Xdr.padded(args.arguments().length), 8 + Xdr.padded(result.results().length));
  }

  private boolean set(Portmap.Mapping m, CallContext ctx) {
    stats.call(Portmap.VERSION, ctx.procedure());
    String netid = netid(m.protocol());
    if (netid == null || !Callers.onThisMachine(ctx) || m.port() <= 0 || m.port() > 0xFFFF) {
      return false;
    }
    String uaddr = "0.0.0.0." + (m.port() >> 8) + "." + (m.port() & 0xFF);
    ServiceInstance instance = new ServiceInstance("", m.program(), m.version(), netid, uaddr, callers.owner(ctx));
    Object caller = callers.caller(ctx);
    BooleanSupplier permit = rates.permit(caller, instance.owner());
    boolean done = shares.add(caller, instance.owner(), instance.key(), false,
        () -> table.set(instance, permit) ? instance : null) != null;
    stats.set(Portmap.VERSION, done);
    return done;
  }

  private boolean unset(Portmap.Mapping m, CallContext ctx) {
    stats.call(Portmap.VERSION, ctx.procedure());
    if (!Callers.onThisMachine(ctx)) {
      return false;
    }
    String owner = callers.owner(ctx);
    // One change for both netids, charged only if either has something to remove.
    BooleanSupplier permit = rates.permit(callers.caller(ctx), owner);
    // Both netids are tried; TRUE unless either kept another owner's mapping (rpcbind would say
    // TRUE then too, if the other netid had nothing to remove).
    boolean done = table.unset(m.program(), m.version(), "tcp", owner, permit);
    done &= table.unset(m.program(), m.version(), "udp", owner, permit);
    stats.unset(Portmap.VERSION, done);
    return done;
  }

  private int getPort(Portmap.Mapping m, CallContext ctx) {
    stats.call(Portmap.VERSION, ctx.procedure());
    String netid = netid(m.protocol());
    // A port means a port of this host: another host's entry of a shared store is no answer here.
    int port = netid == null ? 0 : table.findLocal(m.program(), m.version(), netid, false)
        .map(i -> port(i.address())).orElse(0);
    if (netid != null) { // as rpcbind, which counts look-ups per netid
      stats.lookup(Portmap.VERSION, m.program(), m.version(), netid, port != 0);
    }
    return port;
  }

  List<Portmap.Mapping> dump(CallContext ctx) {
    stats.call(Portmap.VERSION, ctx.procedure());
    List<Portmap.Mapping> mappings = new ArrayList<>();
    // This host's tcp and udp entries, as rpcbind lists them; only the first few for a UDP caller
    // on another machine, whose reply carries no more than its call. Chosen among those only:
    // before, entries of other netids (tcp6, a socket's) took places and were then dropped, and
    // a local process that set many under low program numbers left such a caller none.
    for (ServiceInstance i : table.local(Amplification.most(ctx), i -> protocol(i) != 0 && port(i.address()) != 0)) {
      mappings.add(new Portmap.Mapping(i.program(), i.version(), protocol(i), port(i.address())));
    }
    return Amplification.trimOrRefuse(ctx, mappings, Portmap.MAPPING_LIST, "DUMP");
  }

  /** The portmap protocol of an entry: TCP's or UDP's, else 0 (portmap has no other). */
  private static int protocol(ServiceInstance i) {
    return i.netid().equals("tcp") ? Portmap.IPPROTO_TCP : i.netid().equals("udp") ? Portmap.IPPROTO_UDP : 0;
  }

  private static String netid(int protocol) {
    return protocol == Portmap.IPPROTO_TCP ? "tcp" : protocol == Portmap.IPPROTO_UDP ? "udp" : null;
  }

  private static int port(String uaddr) {
    try {
      return UniversalAddress.parse(uaddr).getPort();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }
}
