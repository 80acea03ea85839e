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
 * as the client certificate of mutual TLS, overrides {@link #authenticate(CallHeader, Peer)}:
 * {@link CertificateAuthenticator} is one.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * Returns the caller's credentials, or throws an {@link RpcException} made by {@link
   * RpcException#authError} whose reason goes back in an AUTH_ERROR reply.
   */
  Credentials authenticate(CallHeader call);

  /**
   * Like {@link #authenticate(CallHeader)}, knowing what the transport proved about the caller;
   * the server calls this one. By default the peer is not looked at.
   */
  default Credentials authenticate(CallHeader call, Peer peer) {
    return authenticate(call);
  }

  /** AUTH_NONE and AUTH_SYS; malformed AUTH_SYS is AUTH_BADCRED, other flavors AUTH_REJECTEDCRED. */
  Authenticator DEFAULT = call -> {
    OpaqueAuth credential = call.credential();
    switch (credential.flavor()) {
      case OpaqueAuth.AUTH_NONE:
      case OpaqueAuth.AUTH_SYS:
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
