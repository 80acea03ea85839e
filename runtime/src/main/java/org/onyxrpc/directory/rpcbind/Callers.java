package org.onyxrpc.directory.rpcbind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;

/** Who a call to one directory speaks for. */
final class Callers {
  /** The caller of every call from this machine that the kernel vouched for no uid of. */
  static final Object THIS_MACHINE = "this machine";

  /** Where this directory's local socket relay connects; null while it has none. */
  private volatile InetSocketAddress relayTarget;

  /**
   * Calls relayed from the local socket to {@code target}, the address this directory's relay
   * connects to, speak for the uid behind them; none other (another directory's, in this JVM).
   */
  void relayingTo(InetSocketAddress target) {
    relayTarget = target;
  }

  /**
   * The owner a call speaks for: the uid the kernel reports for a call that came through the
   * local socket (see {@link LocalSocketRelay}), else "unknown": an AUTH_SYS uid is only a claim.
   * Relayed calls come over TCP: a datagram from a relayed connection's address and port (any
   * local user may bind the UDP port of that number, and read it in /proc/net/tcp) speaks for
   * nobody.
   */
  String owner(CallContext context) {
    InetSocketAddress target = relayTarget;
    return Owners.of(context.transport() == Transport.TCP && target != null
        ? LocalSocketRelay.uidOf(context.remoteAddress(), target) : -1);
  }

  /**
   * Whose share of the directory's entries a call's SET or registration counts in (see {@link
   * CallerShares}): the owner it speaks for if the kernel vouched for one (a uid); else, from
   * this machine, {@link #THIS_MACHINE}; else the address it came from, as the duplicate request
   * cache tells clients apart (an IPv6 address by its /64). Every address of this machine is one
   * caller: any local user may bind 127.0.0.2, 127.0.0.3 ... (all of 127/8), ::1 and the
   * interfaces' addresses, and one that registered from each of five took a share at each, every
   * place of the store but root's.
   */
  Object caller(CallContext context) {
    String owner = owner(context);
    if (!Owners.UNKNOWN.equals(owner)) {
      return owner;
    }
    InetAddress source = RpcbindService.callerAddress(context);
    if (source == null) {
      return owner;
    }
    return onThisMachine(context) ? THIS_MACHINE
        : ClientAddress.of(new InetSocketAddress(LocalAddresses.unmapped(source), 0));
  }

  /** A caller as a log line names it: {@code uid 1000}, {@code this machine}, {@code 192.0.2.7}, {@code 2001:db8:0:1::/64}. */
  static String describe(Object caller) {
    if (caller instanceof Inet6Address v6) {
      return v6.getHostAddress() + "/64";
    }
    if (caller instanceof InetAddress v4) {
      return v4.getHostAddress();
    }
    return caller == THIS_MACHINE ? "this machine (its local users over TCP and UDP)" : "uid " + caller;
  }

  /**
   * True if a call provably comes from this machine, as changing the directory needs: from any
   * of its addresses over TCP (the handshake proves the source), from loopback only over UDP. A
   * datagram's source can be forged, and a host that accepts datagrams from outside that claim
   * one of its own addresses (Linux with {@code accept_local}, or without martian filtering)
   * would otherwise take a forged SET from anywhere.
   */
  static boolean onThisMachine(CallContext context) {
    return context.transport() == Transport.UDP
        ? LocalAddresses.isLoopback(context.remoteAddress())
        : LocalAddresses.isLocal(context.remoteAddress());
  }
}
