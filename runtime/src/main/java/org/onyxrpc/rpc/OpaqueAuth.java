package org.onyxrpc.rpc;

import java.util.Arrays;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * RFC 5531 §8.2 opaque_auth: a flavor and up to 400 bytes whose meaning the flavor defines. Used
 * for both credentials and verifiers.
 *
 * @param flavor the auth_flavor number (see the constants)
 * @param body the flavor's data, at most {@link #MAX_BODY} bytes; not copied, do not modify
 */
public record OpaqueAuth(int flavor, byte[] body) {
  /** RFC 5531 §8.2: the body is opaque&lt;400&gt;. */
  public static final int MAX_BODY = 400;
  /** RFC 5531 §8.2 AUTH_NONE. */
  public static final int AUTH_NONE = 0;
  /** RFC 5531 §8.2 AUTH_SYS (also AUTH_UNIX). */
  public static final int AUTH_SYS = 1;
  /** RFC 5531 §8.2 AUTH_SHORT. */
  public static final int AUTH_SHORT = 2;
  /** RFC 5531 §8.2 AUTH_DH. */
  public static final int AUTH_DH = 3;
  /** RFC 2203 RPCSEC_GSS. */
  public static final int RPCSEC_GSS = 6;
  /** RFC 9289 AUTH_TLS. */
  public static final int AUTH_TLS = 7;

  private static final byte[] EMPTY = new byte[0];

  /** AUTH_NONE with an empty body: the usual verifier. */
  public static final OpaqueAuth NONE = new OpaqueAuth(AUTH_NONE, EMPTY);

  /**
   * Validates the body's size.
   *
   * @param flavor the auth flavor, such as {@link #AUTH_SYS}
   * @param body at most {@value #MAX_BODY} bytes; not copied
   * @throws IllegalArgumentException if the body is longer
   */
  public OpaqueAuth {
    if (body.length > MAX_BODY) {
      throw new IllegalArgumentException("auth body of " + body.length + " bytes exceeds 400");
    }
  }

  /**
   * Writes this as an opaque_auth.
   *
   * @param out where it goes
   */
  public void encode(XdrWriter out) {
    out.writeEnum(flavor);
    out.writeOpaque(body, MAX_BODY);
  }

  /**
   * Reads an opaque_auth; AUTH_NONE with an empty body returns the shared {@link #NONE}.
   *
   * @param in where it comes from
   * @return the opaque_auth
   * @throws org.onyxrpc.xdr.XdrException if it is malformed or its body is over {@value #MAX_BODY} bytes
   */
  public static OpaqueAuth decode(XdrReader in) {
    int flavor = in.readEnum();
    byte[] body = in.readOpaque(MAX_BODY);
    if (flavor == AUTH_NONE && body.length == 0) {
      return NONE;
    }
    in.countObject(2);
    return new OpaqueAuth(flavor, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OpaqueAuth other && flavor == other.flavor && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * flavor + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "OpaqueAuth[flavor=" + flavor + ", " + body.length + " bytes]";
  }
}
