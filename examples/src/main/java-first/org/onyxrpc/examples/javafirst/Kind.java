package org.onyxrpc.examples.javafirst;

import org.onyxrpc.examples.javafirst.Wire.Value;

/** Kinds of parts; each has a wire value that never changes. */
public enum Kind {
  @Value(1) SCREW,
  @Value(2) GEAR,
  @Value(3) SPRING
}
