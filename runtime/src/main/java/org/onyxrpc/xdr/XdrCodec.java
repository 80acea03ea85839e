package org.onyxrpc.xdr;

/**
 * Writes and reads one type in XDR.
 *
 * <p>Codecs are stateless and thread-safe; generated code holds one as a static constant per data
 * type. They read and write straight on the buffer wrapped by {@link XdrWriter} and {@link
 * XdrReader}, with no intermediate copies.
 *
 * @param <T> the Java type this codec maps to and from XDR
 */
public interface XdrCodec<T> {
  /** Appends the XDR form of {@code value} to {@code out}; throws {@link XdrException} if a bound is exceeded. */
  void encode(XdrWriter out, T value);

  /** Reads one value from {@code in}; throws {@link XdrException} on malformed or out-of-bound data. */
  T decode(XdrReader in);
}
