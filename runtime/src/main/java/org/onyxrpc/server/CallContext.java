package org.onyxrpc.server;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.onyxrpc.internal.CallText;
import org.onyxrpc.internal.RateLimitedLog;
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
 * @param connection the connection the call came on, which a procedure that waits may watch
 *     ({@link #onConnectionClosed}); {@link CallConnection#none()} for UDP
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
    Optional<PeerCredentials> peerCredentials,
    CallConnection connection) {

  /**
   * Copies the chain; a null {@code peerCredentials} is empty, a null {@code connection} one that
   * never closes.
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
   * @param connection the connection the call came on, to watch for its close; null for none
   */
  public CallContext {
    peerCertificates = List.copyOf(peerCertificates);
    peerCredentials = peerCredentials == null ? Optional.empty() : peerCredentials;
    connection = connection == null ? CallConnection.none() : connection;
  }

  /**
   * A call whose connection is not watched (one made by hand, say).
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
  public CallContext(int xid, int program, int version, int procedure, Credentials credentials,
      SocketAddress remoteAddress, Transport transport, boolean tls,
      List<X509Certificate> peerCertificates, Optional<PeerCredentials> peerCredentials) {
    this(xid, program, version, procedure, credentials, remoteAddress, transport, tls,
        peerCertificates, peerCredentials, CallConnection.none());
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
   * Runs {@code action} once if this call's peer goes away before the call is answered: its
   * connection is closed or reset, or the peer shuts down its side of it (what a process does
   * when it exits or closes its socket, and which TCP cannot tell from a half-close, {@code
   * shutdown(SHUT_WR)}, after which a peer might still read replies). For an asynchronous
   * procedure ({@link ServiceDefinition.Builder#asyncProcedure}) whose stage waits for something,
   * as gRPC's {@code ServerCallStreamObserver.setOnCancelHandler}: the procedure can then give up
   * what it holds for the caller and end the stage, best with {@link NoReply}, which sends nothing
   * and lets an at-most-once retransmission of the call, over a new connection, run it again. A
   * reply it sends all the same still reaches a peer that only half-closed.
   *
   * <p>The action runs on the connection's I/O thread, so it must be quick and must not block
   * (hand the work to the procedure's own executor); if the peer has already gone it runs at once,
   * on the caller's thread. It does not run once the stage has completed (the registration ends
   * with the call, and one made after it is ignored), nor for calls over UDP, which have no
   * connection. It may run while the stage is being completed on another thread: whichever
   * completion comes second is ignored, as usual.
   *
   * <p>A connection whose every call in flight has asked this counts, at {@code maxConnections},
   * as one a newcomer may take the place of (after those with no call in flight): its calls only
   * wait, and their clients ask again over a new connection. So register only where giving up is
   * what the call should do when closed.
   *
   * @param action what to do when the peer has gone; not null, run at most once
   */
  public void onConnectionClosed(Runnable action) {
    connection.register(this, Objects.requireNonNull(action, "action"));
  }

  /**
   * The call for a log line: {@code CallContext[xid 0x1f2e3d4c, program 0x20000101 version 1
   * procedure 1, from tcp 10.0.0.7:53124, TLS, client CN=billing, AUTH_SYS[host uid=1000 gid=1000
   * gids=[]]]}. The certificates are named by their leaf's subject (printed whole, a chain is
   * kilobytes), the credentials escaped and cut short, as the caller chose them.
   *
   * @return the description, one line
   */
  @Override
  public String toString() {
    return "CallContext[xid 0x" + Integer.toHexString(xid) + ", " + CallScope.describe(program, version, procedure)
        + ", from " + CallText.where(transport, remoteAddress) + (tls ? ", TLS" : "")
        + peerPrincipal().map(p -> ", client " + RateLimitedLog.shortText(p.getName())).orElse("")
        + peerCredentials.map(c -> ", " + c).orElse("")
        + ", " + RateLimitedLog.shortText(String.valueOf(credentials)) + "]";
  }

  /**
   * The call whose procedure runs on this thread, as grpc-java's {@code Context.current()}: for a
   * generated service's implementation, whose methods take only the call's arguments, to learn
   * who called ({@link #credentials()}, {@link #peerPrincipal()}, {@link #peerCredentials()}) or
   * to watch the connection. Set while a synchronous procedure runs, and while an asynchronous
   * one runs until it returns its stage: what completes the stage later, on another thread, sees
   * nothing, so such a procedure reads it first and keeps it. Interceptors' {@code around} runs
   * outside it ({@link ServerCall#context()} is theirs).
   *
   * @return the call being served on this thread, or empty outside a procedure
   */
  public static Optional<CallContext> current() {
    return Optional.ofNullable(CurrentCall.get());
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
