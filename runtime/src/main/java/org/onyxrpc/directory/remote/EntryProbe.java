package org.onyxrpc.directory.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Whether a server still listens where an rpcbind entry says: asked before an entry in the way
 * of a registration is removed. rpcbind keeps what a killed server set (it has no leases), and
 * rpcgen's servers remove it unasked ({@code pmap_unset}) when they start; Onyx removes it only
 * when the address proves nobody is there. TCP refusing the connection, UDP answering a NULL
 * call with ICMP port unreachable, and a Unix socket's file gone or refusing are proof; anything
 * else (a connection accepted, a reply of any kind, silence) is not, and leaves the entry alone:
 * taking over a live server's entry would send its callers elsewhere. Only the directory's host
 * is probed: an entry naming another is left alone unprobed. Blocking, for at most the
 * timeout: it runs on the directory's worker threads, never an event loop.
 */
final class EntryProbe {
  /** What the probe found at an entry's address. */
  enum Finding {
    GONE("nothing listens there"),
    LISTENING("a server listens there"),
    UNKNOWN("whether a server listens there could not be told");

    final String text;

    Finding(String text) {
      this.text = text;
    }
  }

  private EntryProbe() {}

  /**
   * Probes an entry of {@code program} {@code version}. A wildcard host (a server bound to every
   * address registers {@code 0.0.0.0} or {@code ::}) is probed at {@code host}, the directory's
   * host, or at loopback if that is of the other family: rpcbind takes SET from its own host only.
   */
  static Finding probe(String netid, String uaddr, InetAddress host, int program, int version,
      Duration timeout) {
    if (netid.equals("local")) {
      return unixSocket(uaddr);
    }
    Transport transport = UniversalAddress.transport(netid);
    InetSocketAddress address;
    try {
      address = UniversalAddress.parse(uaddr);
    } catch (IllegalArgumentException e) {
      return Finding.UNKNOWN;
    }
    if (transport == null || address.getPort() == 0
        || (address.getAddress() instanceof Inet6Address) != netid.endsWith("6")) {
      return Finding.UNKNOWN; // an address of the other family proves nothing about this netid
    }
    if (!address.getAddress().isAnyLocalAddress() && !onHost(address.getAddress(), host)) {
      // rpcbind takes SET from its own host only: an entry naming another host is no server of
      // that host that died, and probing it would let a directory make this process connect to
      // any host and port it names (this machine's loopback too, for a directory elsewhere).
      return Finding.UNKNOWN;
    }
    if (address.getAddress().isAnyLocalAddress()) {
      boolean v6 = address.getAddress() instanceof Inet6Address;
      InetAddress at = host != null && (host instanceof Inet6Address) == v6 && !host.isAnyLocalAddress()
          ? host : UniversalAddress.loopback(v6);
      address = new InetSocketAddress(at, address.getPort());
    }
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    return transport == Transport.TCP ? tcp(address, millis) : udp(address, program, version, millis);
  }

  /**
   * Whether {@code at}, an entry's host, is the directory's {@code host}: the same address, or
   * both this machine's (its loopback included). False if the directory's host is not known.
   */
  static boolean onHost(InetAddress at, InetAddress host) {
    if (host == null) {
      return false;
    }
    InetAddress entry = LocalAddresses.unmapped(at);
    InetAddress directory = LocalAddresses.unmapped(host);
    return entry.equals(directory) || LocalAddresses.isLocal(directory) && LocalAddresses.isLocal(entry);
  }

  private static Finding tcp(InetSocketAddress address, int millis) {
    try (Socket probe = new Socket()) {
      probe.connect(address, millis);
      return Finding.LISTENING;
    } catch (ConnectException e) {
      return Finding.GONE; // refused: no socket listens at that port
    } catch (IOException e) {
      return Finding.UNKNOWN; // timed out, unreachable: not proof of anything
    }
  }

  /**
   * A NULL call: a live server answers it (with PROG_UNAVAIL if it serves something else), and
   * a port nobody has open answers with ICMP port unreachable, which a connected socket reports.
   */
  private static Finding udp(InetSocketAddress address, int program, int version, int millis) {
    byte[] call = nullCall(ThreadLocalRandom.current().nextInt(), program, version);
    try (DatagramSocket probe = new DatagramSocket(null)) {
      probe.connect(address);
      probe.setSoTimeout(millis);
      probe.send(new DatagramPacket(call, call.length));
      probe.receive(new DatagramPacket(new byte[64], 64));
      return Finding.LISTENING;
    } catch (PortUnreachableException e) {
      return Finding.GONE;
    } catch (IOException e) {
      return Finding.UNKNOWN; // silence: a busy server, a firewall, a port reused by another protocol
    }
  }

  static byte[] nullCall(int xid, int program, int version) {
    ByteBuf buf = Unpooled.buffer(40);
    try {
      RpcMessages.writeCall(new XdrWriter(buf), CallHeader.of(xid, program, version, 0, OpaqueAuth.NONE));
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /** A socket file: gone, or refusing (its server died without removing it), is proof. */
  private static Finding unixSocket(String uaddr) {
    if (uaddr.isEmpty() || uaddr.startsWith("@")) {
      return Finding.UNKNOWN; // an abstract name: the JDK cannot connect to one
    }
    Path path = Path.of(uaddr);
    if (Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) { // not "cannot tell", as exists() is
      return Finding.GONE;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      return Finding.LISTENING;
    } catch (ConnectException e) {
      return Finding.GONE;
    } catch (IOException | RuntimeException e) {
      return Finding.UNKNOWN;
    }
  }
}
