package org.onyxrpc.server;

import java.util.EnumSet;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/** The transports a server listens on, settled from those asked of {@link RpcServerBuilder} and its TLS mode. */
final class ServedTransports {
  private ServedTransports() {}

  /**
   * The transports to listen on: {@code asked}, less the default's UDP on a server that requires
   * TLS.
   *
   * @param chosen whether {@code asked} was the user's choice ({@code transports(...)}), not the default
   * @param tls the server's TLS, or null
   * @param unixSocket the socket {@code Transport.UNIX} needs, or null
   * @param inProcessName the name {@code Transport.IN_PROCESS} needs, or null
   * @throws IllegalStateException if UDP was chosen with TLS required, or UNIX or IN_PROCESS lacks its place
   */
  static EnumSet<Transport> settle(EnumSet<Transport> asked, boolean chosen, ServerTls tls,
      UnixSocketAddress unixSocket, String inProcessName) {
    EnumSet<Transport> transports = EnumSet.copyOf(asked);
    if (tls != null && tls.mode() == TlsMode.REQUIRE && transports.contains(Transport.UDP)) {
      if (chosen) {
        throw new IllegalStateException("transports(...) names UDP, and UDP cannot carry TLS (RFC 9289"
            + " has no DTLS): a server built with tls(..., TlsMode.REQUIRE) would refuse every UDP call"
            + " with AUTH_TOOWEAK. Leave UDP out of transports(...), or use TlsMode.OFFER to serve"
            + " plaintext UDP beside TLS on TCP");
      }
      // The default's UDP: a TLS-required server does not listen, nor register, where it would
      // refuse every call.
      transports.remove(Transport.UDP);
    }
    if (transports.contains(Transport.UNIX)) {
      if (unixSocket == null) {
        throw new IllegalStateException("Transport.UNIX needs unixSocket(...)");
      }
      NettyTransports.requireUnixSockets();
    }
    if (transports.contains(Transport.IN_PROCESS) && inProcessName == null) {
      throw new IllegalStateException("Transport.IN_PROCESS needs inProcess(name)");
    }
    return transports;
  }
}
