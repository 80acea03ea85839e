package org.onyxrpc.examples.javafirst;

import org.onyxrpc.examples.javafirst.Wire.Case;

/** The outcome of taking parts. */
public sealed interface Reservation permits Reservation.Reserved, Reservation.Backordered {
  /** Taken; this many are left. */
  @Case(1)
  record Reserved(int reserved) implements Reservation {}

  /** Not enough on the shelf; more arrive in this many days. */
  @Case(2)
  record Backordered(int backordered) implements Reservation {}
}
