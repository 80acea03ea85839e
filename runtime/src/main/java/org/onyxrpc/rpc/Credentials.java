package org.onyxrpc.rpc;

/**
 * Who a call says it comes from: the decoded form of a call's credential. AUTH_NONE and AUTH_SYS
 * are understood; any other flavor arrives as {@link Unrecognized} for a server's own
 * authenticator to judge.
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
   * A flavor this runtime does not decode; the raw credential is kept.
   *
   * @param raw the credential as received
   */
  record Unrecognized(OpaqueAuth raw) implements Credentials {
    @Override
    public OpaqueAuth toOpaqueAuth() {
      return raw;
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
