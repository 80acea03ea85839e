package org.onyxrpc.directory.remote;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.transport.Transport;

/**
 * What an address in a directory's answer means to this process, which reached the directory at
 * its host. The directory speaks for its host: a wildcard (a server bound to every address, as
 * DUMP lists it, or as a lying directory may answer any look-up) is that host; its loopback and
 * its socket files are that host's, which this process cannot reach unless it runs there.
 * Taken as they were written, such answers from a directory on another machine sent this
 * process's calls to its own machine: 0.0.0.0 and 127.0.0.1 both connect here, and a socket path
 * names a file here, so a directory elsewhere (lying, or listing a server that listens on its
 * loopback only) pointed the client at whatever serves this machine's loopback.
 */
final class AnsweredAddresses {
  private AnsweredAddresses() {}

  /**
   * The entry with its address as this process reaches it, or null if it cannot: a wildcard of a
   * family the directory's host was not reached in (and not over loopback), or a loopback address
   * or socket path of a directory on another machine. Other addresses, and text that is not an
   * address (which callers skip, quoting it), are kept as answered.
   *
   * @param entry an entry of the directory's answer
   * @param host the directory's host, as this process reached it
   * @return the entry to use, or null to leave it out
   */
  static ServiceInstance reachable(ServiceInstance entry, InetAddress host) {
    if (entry.netid().equals(Transport.UNIX.netid())) {
      return LocalAddresses.isLocal(host) ? entry : null;
    }
    if (entry.transport() == null) {
      return entry;
    }
    InetSocketAddress answered;
    try {
      answered = UniversalAddress.parse(entry.address());
    } catch (IllegalArgumentException e) {
      return entry;
    }
    InetAddress ip = UniversalAddress.unmapped(answered.getAddress());
    if (ip.isAnyLocalAddress()) {
      boolean v6 = ip instanceof Inet6Address;
      InetAddress at = (host instanceof Inet6Address) == v6 ? host
          : host.isLoopbackAddress() ? UniversalAddress.loopback(v6) : null;
      return at == null ? null
          : entry.withAddress(UniversalAddress.format(new InetSocketAddress(at, answered.getPort())));
    }
    return ip.isLoopbackAddress() && !LocalAddresses.isLocal(host) ? null : entry;
  }

  /**
   * Where to call {@code answered}, an address of the answer of a directory reached at
   * {@code host}: a link-local (or site-local) IPv6 address without a scope, answered by a
   * directory reached at a scoped address of the same kind, is on that directory's link and takes
   * its scope, as libtirpc's {@code __rpc_fixup_addr} does after a look-up. A universal address
   * has no scope (C peers could not read one), and without it a connect or send to a link-local
   * address fails "Invalid argument". Anything else is kept as answered.
   *
   * @param answered the address the entry names
   * @param host the directory's host, as this process reached it
   * @return the address to call
   */
  static InetSocketAddress onLinkOf(InetSocketAddress answered, InetAddress host) {
    if (!(answered.getAddress() instanceof Inet6Address ip) || !(host instanceof Inet6Address at)
        || ip.getScopeId() != 0 || at.getScopeId() == 0
        || !(ip.isLinkLocalAddress() && at.isLinkLocalAddress()
            || ip.isSiteLocalAddress() && at.isSiteLocalAddress())) {
      return answered;
    }
    try {
      Inet6Address scoped = at.getScopedInterface() != null
          ? Inet6Address.getByAddress(null, ip.getAddress(), at.getScopedInterface())
          : Inet6Address.getByAddress(null, ip.getAddress(), at.getScopeId());
      return new InetSocketAddress(scoped, answered.getPort());
    } catch (UnknownHostException e) {
      return answered; // not thrown: sixteen bytes, and an interface the host's address has
    }
  }
}
