package org.onyxrpc.directory.rpcbind;

import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Mappings;
import org.onyxrpc.internal.directory.UniversalAddresses;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.NoReply;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.Xdr;

/**
 * rpcbind versions 3 and 4 (RFC 1833 §2) over the directory's table. Addresses registered on the
 * wildcard address are answered as an address the caller can reach (see
 * {@link UniversalAddress#reachableFrom}). An indirect call that fails is silent for CALLIT and
 * BCAST, as RFC 1833 wants (a broadcast is then answered only by the machines that ran it), and
 * answered with its error for INDIRECT; one the directory refuses to make ({@link
 * RefusedIndirectCalls}) is answered AUTH_TOOWEAK by all three, as rpcbind answers it.
 */
final class RpcbindService {
  /** The protocol family of Unix-domain netids (netconfig's NC_LOOPBACK). */
  private static final String LOOPBACK = "loopback";
  private final DirectoryTable table;
  private final RpcbCounters stats;
  private final RemoteCalls remoteCalls;
  private final Callers callers;
  private final CallerShares shares;
  private final CallerWriteRates rates;

  RpcbindService(DirectoryTable table, RpcbCounters stats, RemoteCalls remoteCalls, Callers callers) {
    this(table, stats, remoteCalls, callers,
        new CallerShares(table, CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER), CallerWriteRates.unpaced());
  }

  RpcbindService(DirectoryTable table, RpcbCounters stats, RemoteCalls remoteCalls, Callers callers,
      CallerShares shares, CallerWriteRates rates) {
    this.shares = shares;
    this.rates = rates;
    this.table = table;
    this.stats = stats;
    this.remoteCalls = remoteCalls;
    this.callers = callers;
  }

  ServiceDefinition definition(int version) {
    ServiceDefinition.Builder b = ServiceDefinition.builder(Rpcb.PROGRAM, version)
        .procedure(Rpcb.nullProcedure(version), (v, ctx) -> ping(stats, ctx))
        .procedure(Rpcb.set(version), this::set)
        .procedure(Rpcb.unset(version), this::unset)
        .procedure(Rpcb.getAddr(version), (m, ctx) -> getAddr(m, ctx, false))
        .procedure(Rpcb.dump(version), (v, ctx) -> dump(ctx))
        .asyncProcedure(Rpcb.callit(version), (args, ctx) -> indirect(args, ctx, true))
        .procedure(Rpcb.getTime(version), (v, ctx) -> {
          stats.call(ctx.version(), ctx.procedure());
          return (int) Instant.now().getEpochSecond();
        })
        .procedure(Rpcb.uaddr2taddr(version), (uaddr, ctx) -> {
          stats.call(ctx.version(), ctx.procedure());
          byte[] taddr = TransportAddress.fromUniversal(uaddr);
          return new Rpcb.NetBuf(taddr.length, taddr);
        })
        .procedure(Rpcb.taddr2uaddr(version), (netbuf, ctx) -> {
          stats.call(ctx.version(), ctx.procedure());
          return TransportAddress.toUniversal(netbuf.bytes());
        });
    if (version == Rpcb.VERSION_4) {
      b.procedure(Rpcb.GETVERSADDR, (m, ctx) -> getAddr(m, ctx, true))
          .asyncProcedure(Rpcb.INDIRECT, (args, ctx) -> indirect(args, ctx, false))
          .procedure(Rpcb.GETADDRLIST, this::getAddrList)
          .procedure(Rpcb.GETSTAT, (v, ctx) -> {
            stats.call(ctx.version(), ctx.procedure());
            if (!Amplification.unbounded(ctx)) {
              // Its fixed part alone is five times a call: over UDP only for this machine.
              throw new RpcException(RpcStatus.SYSTEM_ERR, "GETSTAT over UDP is for local callers; use TCP");
            }
            return stats.snapshot();
          });
    }
    return b.build();
  }

  /**
   * The NULL ping, counted as rpcbind counts it: {@code rpcinfo -m} shows the pings of
   * {@code rpcinfo -t}, {@code -u} and {@code -T} (the server's own answer would count nothing).
   */
  static Void ping(RpcbCounters stats, CallContext ctx) {
    stats.call(ctx.version(), ctx.procedure());
    return null;
  }

  private boolean set(Rpcb.Mapping m, CallContext ctx) {
    stats.call(ctx.version(), ctx.procedure());
    boolean done = false;
    if (Callers.onThisMachine(ctx) && !m.netid().isEmpty() && valid(m.netid(), m.address())) {
      ServiceInstance instance = new ServiceInstance("", m.program(), m.version(), m.netid(), m.address(),
          callers.owner(ctx));
      Object caller = callers.caller(ctx);
      BooleanSupplier permit = rates.permit(caller, instance.owner());
      done = shares.add(caller, instance.owner(), instance.key(), false,
        () -> table.set(instance, permit) ? instance : null) != null;
    }
    stats.set(ctx.version(), done);
    return done;
  }

  private boolean unset(Rpcb.Mapping m, CallContext ctx) {
    stats.call(ctx.version(), ctx.procedure());
    boolean done = Callers.onThisMachine(ctx) && table.unset(m.program(), m.version(), m.netid(),
        callers.owner(ctx), rates.permit(callers.caller(ctx), callers.owner(ctx)));
    stats.unset(ctx.version(), done);
    return done;
  }

  /**
   * This host's entries only, as rpcbind lists them: a shared store's other hosts are found by
   * look-ups, not listed by rpcinfo -p here. An entry that is not IP's (a Unix-domain socket's
   * path) only to a caller on this machine, as GETADDR answers it: elsewhere the path means
   * nothing, and it told other machines what this one's socket files are called. Those left out
   * are left out before a UDP reply's few are chosen, so they take no place of the others.
   */
  List<Rpcb.Mapping> dump(CallContext ctx) {
    stats.call(ctx.version(), ctx.procedure());
    boolean localCaller = Callers.onThisMachine(ctx);
    List<Rpcb.Mapping> all = table.local(Amplification.most(ctx), i -> i.transport() != null || localCaller)
        .stream().map(Mappings::of).toList();
    return Amplification.trimOrRefuse(ctx, all, Rpcb.MAPPING_LIST, "DUMP");
  }

  String getAddr(Rpcb.Mapping m, CallContext ctx, boolean exactVersion) {
    stats.call(ctx.version(), ctx.procedure());
    String netid = m.netid().isEmpty() ? callerNetid(ctx) : m.netid();
    // An entry of another netid than IP's (a Unix-domain socket's path, up to 107 bytes) means
    // something on this machine only, as in GETADDRLIST; to a datagram claiming another source
    // it was a reply twice the size of its call. On this machine as changing the directory asks
    // it (over UDP loopback only): a datagram claiming one of this machine's other addresses may
    // come from anywhere, and was answered the path whole (136 bytes to a call of 68).
    boolean localCaller = Callers.onThisMachine(ctx);
    String address = table.find(m.program(), m.version(), netid, exactVersion)
        .filter(i -> i.transport() != null || localCaller)
        .map(i -> UniversalAddress.reachableFrom(i.address(), callerAddress(ctx)))
        .orElse("");
    // Counted under the netid of the transport the call came over, as rpcbind counts it (and as
    // GETADDRLIST is): the netid asked is any 32 bytes the caller chose, from anywhere over UDP,
    // which GETSTAT would otherwise hand to every rpcinfo -m, control characters included.
    stats.lookup(ctx.version(), m.program(), m.version(), callerNetid(ctx), !address.isEmpty());
    return address;
  }

  List<Rpcb.Entry> getAddrList(Rpcb.Mapping m, CallContext ctx) {
    stats.call(ctx.version(), ctx.procedure());
    Predicate<ServiceInstance> listed = listedTo(ctx);
    // At most a list's most (what Onyx's clients read): this machine's entries first, as GETADDR
    // prefers them, then a shared store's other hosts'. Beyond it, as LOOKUP does, the rest are
    // left out: every address listed is true, where a SYSTEM_ERR left every caller with none once
    // the hosts of a shared store together registered more (up to four times a host's bound).
    UnaryOperator<String> reachable = UniversalAddress.reachableFrom(callerAddress(ctx));
    List<ServiceInstance> ofVersion = table.ofVersion(m.program(), m.version());
    String netid = callerNetid(ctx);
    Stream<ServiceInstance> chosen = ofVersion.stream().filter(listed);
    if (!Amplification.unbounded(ctx)) {
      // Over UDP from another host a reply holds an entry or two: those of the caller's netid
      // first (rpcinfo -l -T udp6 gets the udp6 entry), where the first listed was kept, tcp6's.
      chosen = Stream.concat(ofVersion.stream().filter(listed.and(i -> i.netid().equals(netid))),
          ofVersion.stream().filter(listed.and(i -> !i.netid().equals(netid))));
    }
    List<Rpcb.Entry> entries = chosen
        .limit(Math.min(Portmap.MAX_DUMP, Amplification.most(ctx)))
        .map(i -> i.transport() == null
            ? new Rpcb.Entry(i.address(), i.netid(), Rpcb.NC_TPI_COTS_ORD, "loopback", "-")
            : new Rpcb.Entry(reachable.apply(i.address()),
                i.netid(), i.netid().startsWith("udp") ? Rpcb.NC_TPI_CLTS : Rpcb.NC_TPI_COTS_ORD,
                i.netid().endsWith("6") ? "inet6" : "inet", i.transport().netid()))
        .toList();
    stats.lookup(ctx.version(), m.program(), m.version(), netid, !entries.isEmpty());
    // The first IP entry at least: an empty list says the program is not registered (rpcinfo -l).
    return Amplification.trimKeepingOne(ctx, entries, Rpcb.ENTRY_LIST, e -> !e.protocolFamily().equals(LOOPBACK));
  }

  /**
   * The entries GETADDRLIST lists to this caller: those of the protocol family of the transport
   * the call came over, as rpcbind's rpcbproc_getaddrlist_4_local lists them (it skips "not same
   * proto family"): tcp and udp to a caller over IPv4, tcp6 and udp6 over IPv6, a Unix-domain
   * socket's (netid local or unix) over the directory's own socket. Before, every IP entry was
   * listed to every caller, so {@code rpcinfo -l} over IPv4 from another machine listed tcp6
   * and udp6 too. Unlike rpcbind, an IP caller on this machine gets every entry, a socket's and
   * the other IP family's: Onyx's {@code RemoteDirectory}, which reaches a directory over TCP at
   * 127.0.0.1, finds Unix-socket servers and servers on {@code ::1} alone so (a C server made by
   * {@code svc_tp_create} for tcp6 only, say), which this machine reaches either way. A path
   * means nothing elsewhere, and another machine's caller may have no route of the other family.
   */
  static Predicate<ServiceInstance> listedTo(CallContext ctx) {
    String callers = family(callerNetid(ctx));
    boolean localCaller = LocalAddresses.isLocal(ctx.remoteAddress());
    return i -> {
      String family = family(i.netid());
      return family != null && (family.equals(callers) || localCaller);
    };
  }

  /** The protocol family (netconfig's nc_protofmly) of a netid Onyx lists, or null. */
  private static String family(String netid) {
    return switch (netid) {
      case "tcp", "udp" -> "inet";
      case "tcp6", "udp6" -> "inet6";
      case "local", "unix" -> LOOPBACK;
      default -> null;
    };
  }

  private CompletionStage<Rpcb.CallResult> indirect(
      Rpcb.CallArgs args, CallContext ctx, boolean silentOnFailure) {
    stats.call(ctx.version(), ctx.procedure());
    if (args == null) { // CALLIT's, BCAST's: INDIRECT's undecodable arguments are GARBAGE_ARGS
      return CompletableFuture.failedFuture(undecodable());
    }
    RpcException refused = RefusedIndirectCalls.refusal(args);
    if (refused != null) { // answered even to CALLIT and BCAST, as rpcbind answers them
      return CompletableFuture.failedFuture(refused);
    }
    String netid = callerNetid(ctx);
    return remoteCalls.forward(args, RemoteCalls.netids(ctx, netid, "udp"),
        Callers.onThisMachine(ctx), RemoteCalls.caller(ctx), RemoteCalls.claimed(ctx))
        .handle((done, failure) -> {
          stats.indirect(ctx.version(), args.program(), args.version(), args.procedure(), netid,
              failure == null);
          if (failure != null) {
            throw failed(failure, silentOnFailure);
          }
          String address = UniversalAddress.reachableFrom(done.target().address(), callerAddress(ctx));
          Rpcb.CallResult result = new Rpcb.CallResult(address, done.results());
          if (!fitsUdp(ctx, args, result)) {
            throw failed(tooLargeForUdp(), silentOnFailure);
          }
          return result;
        });
  }

  /**
   * True if INDIRECT's or CALLIT's reply may answer this call ({@link Amplification}): both
   * counted as XDR pads them on the wire, prog, vers, proc and opaque arguments against string
   * address and opaque results. Unpadded, a reply could be 6 bytes larger than its call.
   */
  static boolean fitsUdp(CallContext ctx, Rpcb.CallArgs args, Rpcb.CallResult result) {
    return Amplification.fits(ctx, 16 + Xdr.padded(args.arguments().length),
        4 + Xdr.padded(ByteBufUtil.utf8Bytes(result.address())) + 4 + Xdr.padded(result.results().length));
  }

  /** A failed indirect call: no reply at all where RFC 1833 wants silence, else the error. */
  static RuntimeException failed(Throwable failure, boolean silent) {
    return silent ? new NoReply("indirect call failed: " + failure.getMessage()) : rethrow(failure);
  }

  /** CALLIT's or BCAST's arguments that did not decode: no reply, as rpcbind sends none. */
  static NoReply undecodable() {
    return new NoReply("undecodable indirect call arguments");
  }

  /** The failure of a forwarded call as the directory's own reply. */
  static RuntimeException rethrow(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof RpcException e && e.status().kind() == RpcStatus.Kind.ACCEPTED) {
      return e.relayed(); // the forwarded call's reply, meant as the directory's own
    }
    return new RpcException(RpcStatus.SYSTEM_ERR, "indirect call failed: " + cause.getMessage(), cause);
  }

  /** An indirect call's results that would make a UDP reply an amplifier. */
  static RpcException tooLargeForUdp() {
    return new RpcException(RpcStatus.SYSTEM_ERR, "indirect results too large for a UDP reply");
  }

  /** The netid of the transport the call came on: tcp, udp, tcp6 or udp6. */
  static String callerNetid(CallContext ctx) {
    InetAddress caller = callerAddress(ctx);
    return UniversalAddress.netid(ctx.transport(), caller == null ? null : UniversalAddress.unmapped(caller));
  }

  static InetAddress callerAddress(CallContext ctx) {
    return ctx.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /**
   * A universal address for an IP netid; any non-empty address for another (e.g. "local"). Both
   * must fit an entry's bounds (not set, FALSE, rather than the entry refusing it as a server
   * failure). A byte that is not UTF-8 is read as one char that is written back as that byte, so
   * such a netid is stored as rpcbind stores it, and listed as it was sent.
   */
  private static boolean valid(String netid, String uaddr) {
    if (ByteBufUtil.utf8Bytes(netid) > Rpcb.MAX_NETID
        || ByteBufUtil.utf8Bytes(uaddr) > UniversalAddress.MAX_LENGTH) {
      return false;
    }
    if (UniversalAddress.transport(netid) == null) {
      return !uaddr.isEmpty();
    }
    return UniversalAddresses.parses(uaddr);
  }
}
