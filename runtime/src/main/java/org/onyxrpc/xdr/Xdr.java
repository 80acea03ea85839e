package org.onyxrpc.xdr;

/** Constants and arithmetic shared by the XDR reader and writer. */
public final class Xdr {
  /** RFC 4506 §3: the unit every item is padded to. */
  public static final int UNIT = 4;

  /**
   * The maximum of an unbounded {@code <>} item. RFC 4506 allows 2^32 - 1; Java arrays stop at
   * 2^31 - 1, and the reader's remaining-bytes check rejects anything larger than the message.
   */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private Xdr() {}

  /**
   * Zero bytes that follow {@code length} bytes of data to reach a 4-byte boundary.
   *
   * @param length bytes of data, 0 or more
   * @return 0 to 3
   */
  public static int padding(int length) {
    return -length & (UNIT - 1);
  }

  /**
   * {@code length} rounded up to a 4-byte boundary.
   *
   * @param length bytes of data, 0 or more
   * @return the bytes the data and its padding take
   */
  public static int padded(int length) {
    return length + padding(length);
  }
}
