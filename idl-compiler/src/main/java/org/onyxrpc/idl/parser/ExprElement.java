package org.onyxrpc.idl.parser;

import org.onyxrpc.idl.source.Location;

/** A constant expression as written: bounds, case labels, enum values and wire numbers. */
public sealed interface ExprElement {
  /**
   * Where the expression starts.
   *
   * @return the position of its first token
   */
  Location location();

  /** A decimal, hexadecimal ({@code 0x}) or octal (leading {@code 0}) literal. */
  record NumberLiteral(Location location, String text) implements ExprElement {}

  /** A reference to a {@code const}, an enum value, {@code TRUE} or {@code FALSE}. */
  record Reference(Location location, String name) implements ExprElement {}

  /** {@code -x}, {@code +x} or {@code ~x}. */
  record Unary(Location location, String operator, ExprElement operand) implements ExprElement {}

  /** {@code a op b} with op one of {@code * / + - << >> & ^ |}. */
  record Binary(Location location, String operator, ExprElement left, ExprElement right)
      implements ExprElement {}
}
