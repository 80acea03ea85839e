package org.onyxrpc.directory.rpcbind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * CALLIT, BCAST and INDIRECT: the directory calls a procedure of a registered program for the
 * caller and hands back its results. Limits, so that the directory cannot be turned into a relay
 * or a loop: only programs registered at an address of this machine are called, and of the
 * directory's own programs (portmap/rpcbind and the names program) only the NULL procedure, as
 * rpcbind calls its own (a forwarded call comes from this machine, so calling the others would
 * let any caller register and unregister, which only local callers may); a call that came as a
 * datagram, or over TCP from another machine, only over UDP ({@link #netids}); a program registered at
 * a loopback address only for callers on this machine (the directory would otherwise reach for
 * anyone what only this machine may reach), and one on the wildcard address at loopback only for
 * them, for others at this machine's own address, as rpcbind merges it (the program would
 * otherwise take a caller from anywhere for one on its loopback); arguments and results are at most {@link
 * Rpcb#MAX_CALL_BYTES}; at most {@value #MAX_IN_FLIGHT} forwarded calls
 * are outstanding at once, one caller's address (an IPv6 one by its /64; every address of this
 * machine together) at most half of them,
 * so that one host forwarding to a slow program cannot take every other caller's turn, and
 * datagrams from other machines together at most half, as their sources may be forged (more
 * fail with SYSTEM_ERR); each waits at most the configured timeout. The caller's credentials are
 * not passed on (AUTH_NONE). Calls to one address and transport share a client or two ({@link
 * ForwardingClients}), closed with this.
 */
final class RemoteCalls implements AutoCloseable {
  /** Forwarded calls outstanding at once. */
  static final int MAX_IN_FLIGHT = 32;
  /** Forwarded calls of one caller's address outstanding at once. */
  static final int MAX_IN_FLIGHT_PER_CALLER = MAX_IN_FLIGHT / 2;
  /**
   * Forwarded calls of datagrams from other machines outstanding at once, whatever addresses
   * they claim: the rest are for callers who are who they say (TCP, loopback).
   */
  static final int MAX_IN_FLIGHT_CLAIMED = MAX_IN_FLIGHT / 2;
  /** The key of {@link #MAX_IN_FLIGHT_CLAIMED}'s count among the callers' (no caller's key). */
  private static final Object CLAIMED = new Object();
  /**
   * The longest reply to a forwarded call read: results of {@link Rpcb#MAX_CALL_BYTES} behind
   * RFC 5531's reply header with its longest verifier (400 bytes). The forwarding clients refuse
   * a longer record as its header arrives, before reading it.
   */
  static final int MAX_REPLY_BYTES = 6 * 4 + 400 + Rpcb.MAX_CALL_BYTES;
  /** The programs the directory serves itself, which it never calls for a caller. */
  private static final Set<Integer> OWN_PROGRAMS = Set.of(Portmap.PROGRAM, Names.PROGRAM);

  /**
   * Bytes that are already XDR (a forwarded call's arguments or results), written as they are
   * and read to the end of the message, charged to the reader as an opaque.
   */
  static final XdrCodec<byte[]> RAW = XdrCodecs.of((out, value) -> out.buffer().writeBytes(value),
      in -> in.readRemaining(Rpcb.MAX_CALL_BYTES));

  private final DirectoryTable table;
  private final Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
  private final Map<Object, Integer> perCaller = new ConcurrentHashMap<>();
  private final ForwardingClients clients;

  RemoteCalls(DirectoryTable table, Duration timeout) {
    this(table, new ForwardingClients(timeout));
  }

  RemoteCalls(DirectoryTable table, ForwardingClients clients) {
    this.table = table;
    this.clients = clients;
  }

  /** Closes the clients calls were forwarded with; calls under way fail. */
  @Override
  public void close() {
    clients.close();
  }

  /** What a forwarded call returned and where the program was. */
  record Forwarded(ServiceInstance target, byte[] results) {}

  /**
   * Calls {@code args}' procedure at the program's entry for the first netid of {@code netids}
   * that has one. Fails with PROG_UNAVAIL when there is none, or none the caller could reach
   * itself (a program on loopback, for a caller not {@code onThisMachine}), or with the call's
   * own failure.
   */
  CompletionStage<Forwarded> forward(Rpcb.CallArgs args, List<String> netids, boolean onThisMachine,
      Object caller) {
    return forward(args, netids, onThisMachine, caller, false);
  }

  /**
   * {@link #forward(Rpcb.CallArgs, List, boolean, Object)} for a caller whose address may be
   * forged ({@code claimed}: a datagram from elsewhere than loopback): such calls together hold
   * at most {@value #MAX_IN_FLIGHT_CLAIMED} of the turns, since one sender may claim as many
   * addresses as it likes, each with a share of its own.
   */
  CompletionStage<Forwarded> forward(Rpcb.CallArgs args, List<String> netids, boolean onThisMachine,
      Object caller, boolean claimed) {
    ServiceInstance instance = target(args, netids);
    if (instance == null) {
      RpcException mismatch = versionMismatch(args, netids.get(0));
      if (mismatch != null) {
        return CompletableFuture.failedFuture(mismatch);
      }
    }
    InetSocketAddress address;
    try {
      address = address(instance, args.program(), onThisMachine);
    } catch (RpcException unreachable) {
      return CompletableFuture.failedFuture(unreachable);
    }
    RpcException busy = takeTurn(caller, claimed);
    if (busy != null) {
      return CompletableFuture.failedFuture(busy);
    }
    Procedure<byte[], byte[]> procedure = procedure(args);
    CompletableFuture<byte[]> call;
    try {
      call = clients.call(new ForwardingClients.Target(address, instance.transport()), procedure,
          args.arguments());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.whenComplete((r, t) -> giveBackTurn(caller, claimed))
        .thenApply(results -> new Forwarded(instance, results));
  }

  /** The program's entry for the first netid of {@code netids} that has one, or null. */
  private ServiceInstance target(Rpcb.CallArgs args, List<String> netids) {
    // The directory's own NULL procedures only, as rpcbind forwards to itself: what rpcinfo -b
    // 100000 2 broadcasts to find every portmapper of a network.
    if (OWN_PROGRAMS.contains(args.program()) && args.procedure() != 0) {
      return null;
    }
    for (String netid : netids) {
      Optional<ServiceInstance> target = table.find(args.program(), args.version(), netid, true);
      if (target.isPresent()) {
        return target.get();
      }
    }
    return null;
  }

  /**
   * Where to call {@code target} (null: none) for a caller {@code onThisMachine} or not.
   *
   * @throws RpcException PROG_UNAVAIL when there is no such address, or none the caller could
   *     reach itself
   */
  private static InetSocketAddress address(ServiceInstance target, int program,
      boolean onThisMachine) {
    InetSocketAddress address = target == null ? null : localAddress(target);
    if (address != null && onLoopbackOnly(target) && !onThisMachine) {
      throw new RpcException(RpcStatus.PROG_UNAVAIL,
          "program 0x" + Integer.toHexString(program) + " listens on loopback only");
    }
    if (address != null && !onThisMachine && address.getAddress().isLoopbackAddress()) {
      // On the wildcard address: called at this machine's own address, as rpcbind merges it for
      // a caller elsewhere, so that the program does not take a caller from anywhere for one on
      // its loopback (which a program may trust as this machine's).
      address = reachableFromElsewhere(address);
      if (address == null) {
        throw new RpcException(RpcStatus.PROG_UNAVAIL,
            "program 0x" + Integer.toHexString(program) + " has no address here that other machines reach");
      }
    }
    if (address == null) {
      throw new RpcException(RpcStatus.PROG_UNAVAIL,
          "program 0x" + Integer.toHexString(program) + " has no local registration");
    }
    return address;
  }

  /**
   * Takes a turn for a call of {@code caller}, or returns the SYSTEM_ERR that refuses it when
   * the caller's, the claimed callers' or all calls' turns are taken; null when taken.
   */
  private RpcException takeTurn(Object caller, boolean claimed) {
    if (perCaller.merge(caller, 1, Integer::sum) > MAX_IN_FLIGHT_PER_CALLER) {
      release(caller);
      return new RpcException(RpcStatus.SYSTEM_ERR,
          MAX_IN_FLIGHT_PER_CALLER + " indirect calls of " + caller + " already in flight");
    }
    if (claimed && perCaller.merge(CLAIMED, 1, Integer::sum) > MAX_IN_FLIGHT_CLAIMED) {
      release(CLAIMED);
      release(caller);
      return new RpcException(RpcStatus.SYSTEM_ERR,
          MAX_IN_FLIGHT_CLAIMED + " indirect calls of datagrams from other machines already in flight");
    }
    if (!permits.tryAcquire()) {
      if (claimed) {
        release(CLAIMED);
      }
      release(caller);
      return new RpcException(RpcStatus.SYSTEM_ERR, MAX_IN_FLIGHT + " indirect calls already in flight");
    }
    return null;
  }

  /** Gives back what {@link #takeTurn} took, once the call ended. */
  private void giveBackTurn(Object caller, boolean claimed) {
    permits.release();
    if (claimed) {
      release(CLAIMED);
    }
    release(caller);
  }

  /**
   * The netids a call that came as {@code ctx} is forwarded over, in order: a datagram's only
   * {@code first} (its own), as rpcbind forwards on the transport a call came over. A datagram's
   * source may be forged, and a program that listens on TCP alone (as {@code onyx mq} does,
   * refusing UDP for that reason) is not to be called over TCP, from this machine, for whoever a
   * datagram claims to be. A call over TCP from this machine: {@code first}, then {@code second}.
   * One over TCP from another machine only over UDP, as a datagram's (rpcbind forwards none that
   * come over TCP): its caller is who it says, but the program would see this machine calling,
   * and a program that counts its callers by address (onyx mq's queues, handles and waiting
   * places, half of each for one address) gave such a caller this machine's share beside its
   * own: every queue place, where its own address may take half.
   */
  static List<String> netids(CallContext ctx, String first, String second) {
    if (ctx.transport() == Transport.UDP) {
      return List.of(first);
    }
    if (!Callers.onThisMachine(ctx)) {
      // What the same caller's datagram would have: tcp6's INDIRECT goes over udp6.
      return List.of(first.startsWith("tcp") ? "udp" + first.substring(3) : first);
    }
    return List.of(first, second);
  }

  /**
   * PROG_MISMATCH with the versions this machine has of a program on {@code netid}, when it has
   * some but not the one called, as rpcbind's INDIRECT answers (its CALLIT stays silent); null
   * when it has none.
   */
  private RpcException versionMismatch(Rpcb.CallArgs args, String netid) {
    if (OWN_PROGRAMS.contains(args.program()) && args.procedure() != 0) {
      return null;
    }
    long low = Long.MAX_VALUE;
    long high = -1;
    for (ServiceInstance i : table.local()) {
      if (i.program() == args.program() && i.netid().equals(netid)) {
        low = Math.min(low, Integer.toUnsignedLong(i.version()));
        high = Math.max(high, Integer.toUnsignedLong(i.version()));
      }
    }
    return high < 0 ? null
        : RpcException.fromReply(ReplyHeader.progMismatch(0, (int) low, (int) high), procedure(args))
            .relayed(); // the directory's own reply, though made as a client would read it
  }

  private static Procedure<byte[], byte[]> procedure(Rpcb.CallArgs args) {
    return new Procedure<>(args.program(), args.version(), args.procedure(), "indirect call", RAW, RAW)
        .withSemantics(CallSemantics.MAYBE); // forwarded once, as rpcbind does
  }

  /** True if the call's source may be forged: a datagram from elsewhere than loopback. */
  static boolean claimed(CallContext ctx) {
    return !Amplification.unbounded(ctx);
  }

  /**
   * Who a forwarded call is counted for: its caller's address (an IPv6 one by its /64), or, for
   * a call from this machine ({@link Callers#onThisMachine}) or a local socket, this machine. Any
   * local user may call from every address of 127/8: before, each was a caller, and one that
   * forwarded from two held every turn.
   */
  static Object caller(CallContext ctx) {
    Object address = ClientAddress.of(ctx.remoteAddress());
    return address == null || Callers.onThisMachine(ctx) ? Callers.THIS_MACHINE : address;
  }

  private void release(Object caller) {
    perCaller.computeIfPresent(caller, (k, n) -> n > 1 ? n - 1 : null);
  }

  private static boolean onLoopbackOnly(ServiceInstance instance) {
    return UniversalAddress.parse(instance.address()).getAddress().isLoopbackAddress();
  }

  /**
   * {@code loopback}'s port at this machine's first address of that family that other machines
   * reach, or null if it has none.
   */
  private static InetSocketAddress reachableFromElsewhere(InetSocketAddress loopback) {
    InetAddress host = LocalAddresses.firstReachable(loopback.getAddress() instanceof Inet6Address);
    return host == null ? null : new InetSocketAddress(host, loopback.getPort());
  }

  /**
   * Where to reach an entry on this machine, or null if it is elsewhere or not tcp/udp: an entry
   * on the wildcard address at loopback.
   */
  private static InetSocketAddress localAddress(ServiceInstance instance) {
    if (instance.transport() == null) {
      return null;
    }
    InetSocketAddress address;
    try {
      address = UniversalAddress.parse(UniversalAddress.reachableFrom(instance.address(), null));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return LocalAddresses.isLocal(address.getAddress()) ? address : null;
  }
}
