package org.onyxrpc.health;

import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/** What {@link Health#CHECK} answers. */
public enum ServingStatus {
  /** The server knows no status for that name: nobody set one. */
  UNKNOWN(0),
  /** Ready to take calls. */
  SERVING(1),
  /** Up, but not taking calls now (starting, draining, a dependency is down). */
  NOT_SERVING(2);

  /** Searched by {@link #of}: {@code values()} copies its array on every call, a decode each. */
  private static final ServingStatus[] ALL = values();

  private final int value;

  ServingStatus(int value) {
    this.value = value;
  }

  /**
   * The wire value.
   *
   * @return the value on the wire
   */
  public int value() {
    return value;
  }

  /**
   * The status of a wire value; an undeclared one is malformed.
   *
   * @param value a value read from the wire
   * @return the status
   * @throws XdrException if no status has that value
   */
  public static ServingStatus of(int value) {
    ServingStatus status = find(value);
    if (status == null) {
      throw new XdrException(noValue(value));
    }
    return status;
  }

  /**
   * The status read from {@code in}; an undeclared value is refused by the reader ({@link
   * XdrReader#malformed}), so a client's reader of a server's replies fills in no stack trace
   * for it, as for any other result it cannot read.
   */
  static ServingStatus read(XdrReader in) {
    int value = in.readEnum();
    ServingStatus status = find(value);
    if (status == null) {
      throw in.malformed(noValue(value));
    }
    return status;
  }

  private static ServingStatus find(int value) {
    for (ServingStatus s : ALL) {
      if (s.value == value) {
        return s;
      }
    }
    return null;
  }

  private static String noValue(int value) {
    return "serving_status has no value " + value;
  }
}
