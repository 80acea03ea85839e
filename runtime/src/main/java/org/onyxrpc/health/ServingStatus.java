package org.onyxrpc.health;

import org.onyxrpc.xdr.XdrException;

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
    for (ServingStatus s : ALL) {
      if (s.value == value) {
        return s;
      }
    }
    throw new XdrException("serving_status has no value " + value);
  }
}
