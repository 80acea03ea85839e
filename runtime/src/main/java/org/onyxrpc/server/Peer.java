package org.onyxrpc.server;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.onyxrpc.transport.Transport;

/**
 * What the transport knows about the other end of a call, before any credential is read: where it
 * came from, over what, and what a TLS handshake proved. An {@link Authenticator} judges a call's
 * credential together with it.
 *
 * @param remoteAddress where the call came from
 * @param transport the transport it came over
 * @param tls true when the call came inside TLS (RFC 9289)
 * @param certificates the client's certificate chain, leaf first, verified in the TLS handshake
 *     against the server's trust store; empty without mutual TLS
 */
public record Peer(
    SocketAddress remoteAddress, Transport transport, boolean tls, List<X509Certificate> certificates) {

  /**
   * Copies the chain.
   *
   * @param remoteAddress where the call came from
   * @param transport the transport it came over; not null
   * @param tls true when the call came inside TLS
   * @param certificates the client's verified chain, leaf first; copied
   */
  public Peer {
    Objects.requireNonNull(transport, "transport");
    certificates = List.copyOf(certificates);
  }

  /**
   * The subject of the client's certificate, when mutual TLS proved it.
   *
   * @return the leaf certificate's subject, or empty without mutual TLS
   */
  public Optional<X500Principal> principal() {
    return certificates.isEmpty() ? Optional.empty()
        : Optional.of(certificates.get(0).getSubjectX500Principal());
  }
}
