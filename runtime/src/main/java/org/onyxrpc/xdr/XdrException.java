package org.onyxrpc.xdr;

/**
 * Data that does not follow XDR (RFC 4506) or the bounds its schema declares: a length over its
 * maximum or over the bytes that remain, non-zero padding, a boolean other than 0 or 1, an enum
 * or union discriminant with no declared value.
 *
 * <p>Readers throw it before allocating anything for the offending item, so a hostile length can
 * cost no more memory than the message that carried it. A reader made by {@link
 * XdrReader#withoutStackTraces}, as a server reads its calls, throws it without a stack trace.
 */
public final class XdrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the offending item and its limit.
   *
   * @param message what is wrong, with the item and its limit
   */
  public XdrException(String message) {
    super(message);
    this.nestedTooDeep = false;
  }

  /** Data nested past the reader's {@link XdrLimits#maxDepth}, not data that breaks XDR. */
  private final boolean nestedTooDeep;

  /** A reader's, without a stack trace for a reader of a peer's messages. */
  XdrException(String message, boolean stackTrace) {
    this(message, stackTrace, false);
  }

  XdrException(String message, boolean stackTrace, boolean nestedTooDeep) {
    super(message, null, true, stackTrace);
    this.nestedTooDeep = nestedTooDeep;
  }

  /**
   * Whether the data was refused for nesting deeper than the reader's {@link XdrLimits#maxDepth}:
   * valid XDR, past a limit of this reader, which a C peer (rpcgen's code bounds no nesting) may
   * well send or take. Otherwise the data breaks XDR or its schema's bounds.
   *
   * @return true if refused for its depth alone
   */
  public boolean nestedTooDeep() {
    return nestedTooDeep;
  }
}
