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

  /**
   * A decimal, hexadecimal ({@code 0x}) or octal (leading {@code 0}) literal.
   *
   * @param location where it is written
   * @param text the literal as written
   */
  record NumberLiteral(Location location, String text) implements ExprElement {}

  /**
   * A reference to a {@code const}, an enum value, {@code TRUE} or {@code FALSE}.
   *
   * @param location where it is written
   * @param name the name referred to
   */
  record Reference(Location location, String name) implements ExprElement {}

  /**
   * {@code -x}, {@code +x} or {@code ~x}.
   *
   * @param location where it is written
   * @param operator the operator
   * @param operand the operand
   */
  record Unary(Location location, String operator, ExprElement operand) implements ExprElement {}

  /**
   * {@code a op b} with op one of {@code * / + - << >> & ^ |}.
   *
   * @param location where it is written
   * @param operator the operator
   * @param left the left operand
   * @param right the right operand
   */
  record Binary(Location location, String operator, ExprElement left, ExprElement right)
      implements ExprElement {}
}
