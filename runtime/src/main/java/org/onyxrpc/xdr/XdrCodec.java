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
  /**
   * Appends the XDR form of {@code value} to {@code out}; throws {@link XdrException} if a bound is exceeded.
   *
   * @param out where the value goes
   * @param value the value; null only where the type allows it (optional data, void)
   * @throws XdrException if a bound is exceeded
   */
  void encode(XdrWriter out, T value);

  /**
   * Reads one value from {@code in}; throws {@link XdrException} on malformed or out-of-bound data.
   *
   * @param in where the value comes from
   * @return the value
   * @throws XdrException if the data is malformed, out of bounds, or over the reader's limits
   */
  T decode(XdrReader in);
}
