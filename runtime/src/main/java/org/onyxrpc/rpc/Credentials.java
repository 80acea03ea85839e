package org.onyxrpc.rpc;

import java.util.Objects;

/**
 * Who a call says it comes from: the decoded form of a call's credential. AUTH_NONE and AUTH_SYS
 * are understood; any other flavor arrives as {@link Unrecognized} for a server's own
 * authenticator to judge. A client sends a flavor of its own, such as a bearer token, made with
 * {@link #opaque(int, byte[])}.
 */
public sealed interface Credentials permits Credentials.None, AuthSys, Credentials.Unrecognized {
  /**
   * The opaque_auth this credential travels as.
   *
   * @return the flavor and body sent with a call
   */
  OpaqueAuth toOpaqueAuth();

  /** AUTH_NONE: the caller does not say who it is. */
  Credentials NONE = new None();

  /** AUTH_NONE. */
  final class None implements Credentials {
    private None() {}

    @Override
    public OpaqueAuth toOpaqueAuth() {
      return OpaqueAuth.NONE;
    }

    @Override
    public String toString() {
      return "AUTH_NONE";
    }
  }

  /**
   * A flavor this runtime does not decode, kept as its opaque_auth: as a server received it, or
   * as a client sends it ({@link Credentials#opaque(int, byte[])} makes one to send).
   *
   * @param raw the credential as received, or as it is to be sent
   */
  record Unrecognized(OpaqueAuth raw) implements Credentials {
    @Override
    public OpaqueAuth toOpaqueAuth() {
      return raw;
    }
  }

  /**
   * A credential of a flavor of the caller's own, to send as it is (with {@code
   * RpcClientBuilder.credentials} or a call's {@code CallOptions.withCredentials}): a bearer
   * token under a flavor number agreed with the server, say, which the server's own authenticator
   * reads as {@link Unrecognized} and admits (Onyx's default authenticator refuses a flavor it
   * does not know, AUTH_REJECTEDCRED). The call's verifier stays AUTH_NONE (or Onyx's call tag), so a
   * flavor whose verifier its server checks (AUTH_DH, RPCSEC_GSS) is refused there.
   *
   * @param flavor the auth_flavor number; not AUTH_NONE ({@link #NONE}), AUTH_SYS ({@link
   *     AuthSys}, which servers decode) nor AUTH_TLS (RFC 9289's, for the STARTTLS probe only)
   * @param body at most {@value OpaqueAuth#MAX_BODY} bytes (RFC 5531 §8.2); copied, so that
   *     every transmission of a call carries the bytes it was given
   * @return the credential
   * @throws IllegalArgumentException if the flavor is one of those three, or the body is longer
   * @throws NullPointerException if {@code body} is null
   */
  static Credentials opaque(int flavor, byte[] body) {
    Objects.requireNonNull(body, "body");
    switch (flavor) {
      case OpaqueAuth.AUTH_NONE -> throw new IllegalArgumentException(
          "flavor 0 is AUTH_NONE: send Credentials.NONE");
      case OpaqueAuth.AUTH_SYS -> throw new IllegalArgumentException(
          "flavor 1 is AUTH_SYS, which servers decode: send an AuthSys");
      case OpaqueAuth.AUTH_TLS -> throw new IllegalArgumentException(
          "flavor 7 is AUTH_TLS, which only RFC 9289's STARTTLS probe carries: set the client's tls");
      default -> {
        return new Unrecognized(new OpaqueAuth(flavor, body.clone()));
      }
    }
  }

  /**
   * Decodes a received credential: AUTH_SYS bodies are parsed, malformed ones rejected.
   *
   * @param auth a credential as received
   * @return AUTH_NONE, AUTH_SYS, or the flavor left raw
   * @throws org.onyxrpc.xdr.XdrException if an AUTH_SYS body is malformed
   */
  static Credentials of(OpaqueAuth auth) {
    return switch (auth.flavor()) {
      case OpaqueAuth.AUTH_NONE -> NONE;
      case OpaqueAuth.AUTH_SYS -> AuthSys.fromBody(auth.body());
      default -> new Unrecognized(auth);
    };
  }
}
