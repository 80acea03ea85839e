package org.onyxrpc.server;

import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.xdr.XdrException;

/**
 * Decides whether a call's credential and verifier are acceptable and what they say about the
 * caller. The default accepts AUTH_NONE and AUTH_SYS, as libtirpc's server does; a flavor such
 * as RPCSEC_GSS or AUTH_TLS plugs in here. An authenticator that also judges the connection, such
 * as the client certificate of mutual TLS, overrides {@link #authenticate(CallHeader, Peer)}
 * (and, to tell the server's own NULL ping from a procedure 0 the program serves, {@link
 * #authenticate(CallHeader, Peer, boolean)}): {@link CertificateAuthenticator} is one.
 *
 * <p>An authenticator that returns null, or throws anything but a reply's status, fails the
 * call SYSTEM_ERR without running it; an AUTH_ERROR thrown without a reason is AUTH_FAILED.
 *
 * <p>It runs on the I/O thread that read the call, before the call is queued for a procedure: it
 * must not block (a look-up that waits on a network stalls every connection that thread serves).
 * A check that waits belongs in the procedure, or in a {@link ServerInterceptor}, which runs on
 * the procedure's thread.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * Returns the caller's credentials, or throws an {@link RpcException} made by {@link
   * RpcException#authError} whose reason goes back in an AUTH_ERROR reply.
   *
   * @param call the call's header: its credential and verifier, program, version and procedure
   * @return the caller's credentials, as procedures see them in {@link CallContext#credentials()}
   * @throws RpcException AUTH_ERROR with its reason, to refuse the call
   */
  Credentials authenticate(CallHeader call);

  /**
   * Like {@link #authenticate(CallHeader)}, knowing what the transport proved about the caller.
   * By default the peer is not looked at.
   *
   * @param call the call's header
   * @param peer what the transport proved: TLS certificates ({@link Peer#certificates()}), or over
   *     a Unix-domain socket the caller's uid as the kernel reports it ({@link
   *     Peer#peerCredentials()})
   * @return the caller's credentials
   * @throws RpcException AUTH_ERROR with its reason, to refuse the call
   */
  default Credentials authenticate(CallHeader call, Peer peer) {
    return authenticate(call);
  }

  /**
   * Like {@link #authenticate(CallHeader, Peer)}, knowing whether the call is the bare NULL
   * ping: procedure 0 of a program version the server serves without a procedure 0 of its own,
   * which the server answers itself and which runs nothing of the service. A program may
   * declare procedure 0 with a result (rpcgen allows it); then {@code nullPing} is false and the
   * call runs its handler like any other procedure. The server calls this one; by default {@code
   * nullPing} is not looked at.
   *
   * @param call the call's header
   * @param peer what the transport proved: TLS certificates, or a Unix-domain caller's uid
   * @param nullPing whether the call is the server's own NULL ping
   * @return the caller's credentials
   * @throws RpcException AUTH_ERROR with its reason, to refuse the call
   */
  default Credentials authenticate(CallHeader call, Peer peer, boolean nullPing) {
    return authenticate(call, peer);
  }

  /** AUTH_NONE and AUTH_SYS; malformed AUTH_SYS is AUTH_BADCRED, other flavors AUTH_REJECTEDCRED. */
  Authenticator DEFAULT = call -> {
    OpaqueAuth credential = call.credential();
    switch (credential.flavor()) {
      case OpaqueAuth.AUTH_NONE:
        return Credentials.NONE;
      case OpaqueAuth.AUTH_SYS:
        // Neither exception fills in a stack trace: a peer may flood malformed credentials,
        // each refused here on the I/O thread.
        try {
          return Credentials.of(credential);
        } catch (XdrException | IllegalArgumentException e) {
          throw RpcException.authError(AuthStatus.AUTH_BADCRED, "malformed AUTH_SYS credential: " + e.getMessage());
        }
      default:
        throw RpcException.authError(
            AuthStatus.AUTH_REJECTEDCRED, "auth flavor " + credential.flavor() + " not accepted");
    }
  };
}
