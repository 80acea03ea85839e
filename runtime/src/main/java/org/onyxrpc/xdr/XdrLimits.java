package org.onyxrpc.xdr;

/**
 * What one message may cost its reader beyond its own bytes: how deeply its recursive data may
 * nest, and how much memory its decoded values may take. Both are counted by {@link
 * XdrReader} as generated codecs read; exceeding either is an {@link XdrException}, so a server
 * answers {@code GARBAGE_ARGS} and a client fails the call.
 *
 * <p>Depth counts the values of types that may hold themselves, nested inside one another: optional
 * data (RFC 4506 §4.19, {@link XdrReader#readOptional}), and a struct or union that holds its
 * own type through an array or a union arm ({@link XdrReader#readNested}): a tree's depth.
 * Linked lists, which generated code reads in a loop, do not nest and are bounded by the decoded
 * size only.
 *
 * <p>The decoded size is an upper bound of the heap the values take on a 64-bit JVM, charged
 * before they are allocated: a record {@value XdrReader#NODE_BYTES} bytes plus {@value
 * XdrReader#ELEMENT_BYTES} per field (generated codecs count each record they build with {@link
 * XdrReader#countObject}, and so should a codec written by hand, for each object it makes), a
 * number's box made by {@link XdrCodecs} as a record of one field, a present optional value
 * {@value XdrReader#OPTIONAL_BYTES} (a box or an {@code Optional}), an opaque {@value
 * XdrReader#ARRAY_BYTES} plus its length, a string twice that (its object and its array, whose
 * characters may take 2 bytes each), an array {@value XdrReader#LIST_BYTES} plus {@value
 * XdrReader#ELEMENT_BYTES} per element.
 *
 * @param maxDepth most such values nested inside one another (default {@value
 *     #DEFAULT_MAX_DEPTH})
 * @param maxDecodedBytes most bytes charged for decoded values per message (default 64 MiB)
 */
public record XdrLimits(int maxDepth, long maxDecodedBytes) {
  /** Default {@link #maxDepth}. */
  public static final int DEFAULT_MAX_DEPTH = 256;
  /** Default {@link #maxDecodedBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 64L << 20;
  /** The defaults. */
  public static final XdrLimits DEFAULT = new XdrLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_DECODED_BYTES);

  /**
   * Checks that both limits are positive.
   *
   * @param maxDepth at least 1
   * @param maxDecodedBytes at least 1
   * @throws IllegalArgumentException if a limit is under 1
   */
  public XdrLimits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1: " + maxDepth);
    }
    if (maxDecodedBytes < 1) {
      throw new IllegalArgumentException("maxDecodedBytes must be positive: " + maxDecodedBytes);
    }
  }
}
