package org.onyxrpc.server;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;

/**
 * What a procedure may know about the call it serves.
 *
 * @param xid the call's transaction id
 * @param program the program number called
 * @param version the program version called
 * @param procedure the procedure number called
 * @param credentials who the caller says it is (AUTH_NONE, AUTH_SYS, or a flavor left raw)
 * @param remoteAddress where the call came from
 * @param transport the transport it came over
 * @param tls true when the call came inside TLS (RFC 9289)
 * @param peerCertificates the client's certificate chain, leaf first, verified in the TLS
 *     handshake against the server's trust store; empty without mutual TLS
 * @param peerCredentials over {@link Transport#UNIX}, the calling process's pid, uid and gid as
 *     the kernel reports them (trusted, unlike the AUTH_SYS claim in {@code credentials}); empty
 *     over every other transport
 */
public record CallContext(
    int xid,
    int program,
    int version,
    int procedure,
    Credentials credentials,
    SocketAddress remoteAddress,
    Transport transport,
    boolean tls,
    List<X509Certificate> peerCertificates,
    Optional<PeerCredentials> peerCredentials) {

  /**
   * Copies the chain; a null {@code peerCredentials} is empty.
   *
   * @param xid the call's transaction id
   * @param program the program number called
   * @param version the program version called
   * @param procedure the procedure number called
   * @param credentials who the caller says it is
   * @param remoteAddress where the call came from
   * @param transport the transport it came over
   * @param tls true when the call came inside TLS
   * @param peerCertificates the client's verified chain, leaf first; copied
   * @param peerCredentials the calling process over {@link Transport#UNIX}; null or empty elsewhere
   */
  public CallContext {
    peerCertificates = List.copyOf(peerCertificates);
    peerCredentials = peerCredentials == null ? Optional.empty() : peerCredentials;
  }

  /**
   * A call that did not come over a Unix-domain socket.
   *
   * @param xid the call's transaction id
   * @param program the program number called
   * @param version the program version called
   * @param procedure the procedure number called
   * @param credentials who the caller says it is
   * @param remoteAddress where the call came from
   * @param transport the transport it came over
   * @param tls true when the call came inside TLS
   * @param peerCertificates the client's verified chain, leaf first; copied
   */
  public CallContext(int xid, int program, int version, int procedure, Credentials credentials,
      SocketAddress remoteAddress, Transport transport, boolean tls,
      List<X509Certificate> peerCertificates) {
    this(xid, program, version, procedure, credentials, remoteAddress, transport, tls,
        peerCertificates, Optional.empty());
  }

  /**
   * A call that did not come over TLS.
   *
   * @param xid the call's transaction id
   * @param program the program number called
   * @param version the program version called
   * @param procedure the procedure number called
   * @param credentials who the caller says it is
   * @param remoteAddress where the call came from
   * @param transport the transport it came over
   */

  public CallContext(int xid, int program, int version, int procedure, Credentials credentials,
      SocketAddress remoteAddress, Transport transport) {
    this(xid, program, version, procedure, credentials, remoteAddress, transport, false, List.of());
  }

  /**
   * The subject of the client's certificate, when mutual TLS proved it: unlike {@link
   * #credentials()}, which only say who the caller claims to be, this the handshake verified.
   *
   * @return the leaf certificate's subject, or empty without mutual TLS
   */
  public Optional<X500Principal> peerPrincipal() {
    return peerCertificates.isEmpty() ? Optional.empty()
        : Optional.of(peerCertificates.get(0).getSubjectX500Principal());
  }
}
