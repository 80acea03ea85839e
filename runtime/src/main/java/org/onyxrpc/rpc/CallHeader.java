package org.onyxrpc.rpc;

/**
 * The header of an RFC 5531 §9 call message, as on the wire; the arguments follow it.
 *
 * @param xid the transaction id that matches the reply to the call
 * @param rpcVersion the ONC RPC version, {@link #RPC_VERSION} for every valid call
 * @param program the program number
 * @param version the program version
 * @param procedure the procedure number
 * @param credential who the caller says it is
 * @param verifier proof of the credential (AUTH_NONE for AUTH_NONE and AUTH_SYS)
 */
public record CallHeader(
    int xid,
    int rpcVersion,
    int program,
    int version,
    int procedure,
    OpaqueAuth credential,
    OpaqueAuth verifier) {

  /** RFC 5531 §9: the only RPC version this protocol defines. */
  public static final int RPC_VERSION = 2;

  /**
   * A version-2 call with the given credential and an AUTH_NONE verifier.
   *
   * @param xid the transaction id
   * @param program the program number
   * @param version the version number
   * @param procedure the procedure number
   * @param credential the caller's credential
   * @return the header
   */
  public static CallHeader of(int xid, int program, int version, int procedure, OpaqueAuth credential) {
    return new CallHeader(
        xid, RPC_VERSION, program, version, procedure, credential, OpaqueAuth.NONE);
  }
}
