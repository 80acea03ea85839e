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
 * came from, over what, what a TLS handshake proved, and over a Unix-domain socket who the kernel
 * says connected. An {@link Authenticator} judges a call's credential together with it: one may,
 * say, refuse an AUTH_SYS claim whose uid is not the one {@link #peerCredentials()} reports.
 *
 * @param remoteAddress where the call came from
 * @param transport the transport it came over
 * @param tls true when the call came inside TLS (RFC 9289)
 * @param certificates the client's certificate chain, leaf first, verified in the TLS handshake
 *     against the server's trust store; empty without mutual TLS
 * @param peerCredentials over {@link Transport#UNIX}, the connecting process's pid, uid and gid as
 *     the kernel reports them ({@code SO_PEERCRED}: no client chooses them, unlike the AUTH_SYS
 *     claim in the call's credential); empty over every other transport
 */
public record Peer(
    SocketAddress remoteAddress, Transport transport, boolean tls, List<X509Certificate> certificates,
    Optional<PeerCredentials> peerCredentials) {

  /**
   * Copies the chain; a null {@code peerCredentials} is empty.
   *
   * @param remoteAddress where the call came from
   * @param transport the transport it came over; not null
   * @param tls true when the call came inside TLS
   * @param certificates the client's verified chain, leaf first; copied
   * @param peerCredentials the connecting process over {@link Transport#UNIX}; null or empty
   *     elsewhere
   */
  public Peer {
    Objects.requireNonNull(transport, "transport");
    certificates = List.copyOf(certificates);
    peerCredentials = peerCredentials == null ? Optional.empty() : peerCredentials;
  }

  /**
   * A peer that did not come over a Unix-domain socket (the constructor of the releases before
   * {@code peerCredentials}, kept so that code making a {@code Peer}, as authenticators' tests do,
   * still compiles).
   *
   * @param remoteAddress where the call came from
   * @param transport the transport it came over; not null
   * @param tls true when the call came inside TLS
   * @param certificates the client's verified chain, leaf first; copied
   */
  public Peer(SocketAddress remoteAddress, Transport transport, boolean tls,
      List<X509Certificate> certificates) {
    this(remoteAddress, transport, tls, certificates, Optional.empty());
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
