package org.onyxrpc.idl.link;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements.EnumValue;
import org.onyxrpc.idl.parser.ExprElement;

/**
 * Evaluates constant expressions exactly, with every result in -2^63 .. 2^64-1, so that
 * {@code const NFS4_UINT64_MAX = 0xffffffffffffffff;} is a constant like any other; where a
 * value is used decides whether it fits (a bound, a case label, an enum value). Constants may
 * refer to constants declared later or in imported files; cycles are errors.
 */
final class ConstantEvaluator {
  static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final Scope scope;
  private final Diagnostics diagnostics;
  private final Map<String, BigInteger> constants = new HashMap<>();
  private final Map<DeclElement.EnumDecl, Map<String, Long>> enums = new HashMap<>();
  /** The values given so far of the enums being evaluated: a value may name an earlier one. */
  private final Map<DeclElement.EnumDecl, Map<String, Long>> partial = new HashMap<>();
  private final Set<Object> evaluating = new HashSet<>();

  ConstantEvaluator(Scope scope, Diagnostics diagnostics) {
    this.scope = scope;
    this.diagnostics = diagnostics;
  }

  /**
   * The value of {@code expr} written in {@code file} where a signed 64-bit value is expected,
   * or null after an error.
   */
  Long evaluate(ExprElement expr, String file, String... context) {
    BigInteger value = exact(expr, file, context);
    if (value == null) {
      return null;
    }
    if (value.bitLength() > 63) {
      diagnostics.error(expr.location(), "value " + value + " is too large here (at most "
          + Long.MAX_VALUE + ")", context);
      return null;
    }
    return value.longValue();
  }

  /** The exact value of {@code expr} written in {@code file}, or null after an error. */
  BigInteger exact(ExprElement expr, String file, String... context) {
    if (expr instanceof ExprElement.NumberLiteral number) {
      return literal(number, context);
    }
    if (expr instanceof ExprElement.Reference reference) {
      return reference(reference, file, context);
    }
    if (expr instanceof ExprElement.Unary unary) {
      BigInteger operand = exact(unary.operand(), file, context);
      if (operand == null) {
        return null;
      }
      return switch (unary.operator()) {
        case "-" -> checked(unary.location(), operand.negate(), context);
        case "~" -> operand.not();
        default -> operand;
      };
    }
    ExprElement.Binary binary = (ExprElement.Binary) expr;
    BigInteger left = exact(binary.left(), file, context);
    BigInteger right = exact(binary.right(), file, context);
    if (left == null || right == null) {
      return null;
    }
    Location at = binary.location();
    switch (binary.operator()) {
      case "*":
        return checked(at, left.multiply(right), context);
      case "/":
        if (right.signum() == 0) {
          diagnostics.error(at, "division by zero in constant expression", context);
          return null;
        }
        return left.divide(right);
      case "+":
        return checked(at, left.add(right), context);
      case "-":
        return checked(at, left.subtract(right), context);
      case "<<":
      case ">>":
        if (right.signum() < 0 || right.compareTo(BigInteger.valueOf(63)) > 0) {
          diagnostics.error(at, "shift count must be between 0 and 63", context);
          return null;
        }
        return binary.operator().equals("<<")
            ? checked(at, left.shiftLeft(right.intValue()), context)
            : left.shiftRight(right.intValue());
      case "&":
        return left.and(right);
      case "^":
        return left.xor(right);
      default:
        return left.or(right);
    }
  }

  /** The value of an integer const declaration, or null after an error. */
  BigInteger constant(DeclElement.ConstDecl decl, String file) {
    if (constants.containsKey(decl.name())) {
      return constants.get(decl.name());
    }
    if (!evaluating.add(decl)) {
      diagnostics.error(decl.location(), "constant '" + decl.name() + "' is defined in terms of itself");
      constants.put(decl.name(), null);
      return null;
    }
    BigInteger value = exact(decl.value(), file);
    evaluating.remove(decl);
    constants.put(decl.name(), value);
    return value;
  }

  /** Every constant of an enum in order; implied values follow the previous one. */
  Map<String, Long> enumValues(DeclElement.EnumDecl decl, String file) {
    Map<String, Long> cached = enums.get(decl);
    if (cached != null) {
      return cached;
    }
    Map<String, Long> values = new LinkedHashMap<>();
    if (!evaluating.add(decl)) {
      diagnostics.error(decl.location(), "enum '" + decl.name() + "' is defined in terms of itself");
      return values;
    }
    partial.put(decl, values);
    long next = 0;
    for (EnumValue constant : decl.values()) {
      String context = "in enum " + decl.name() + " (" + decl.location() + ")";
      BigInteger exact = constant.value() == null ? BigInteger.valueOf(next)
          : exact(constant.value(), file, context);
      Long value = exact == null ? null : exact.bitLength() > 63 ? null : exact.longValue();
      if (exact != null && value == null) {
        diagnostics.error(constant.value().location(),
            "enum value " + exact + " does not fit in a 32-bit int", context);
      } else if (value != null && value > Integer.MAX_VALUE && value <= 0xffffffffL) {
        // rpcgen's C takes it (an unsigned enum) and xdr_enum sends its 32 bits: the wire holds
        // the negative int with those bits, and so does Onyx (Phoenix's Commands.x: 0xffffffff).
        int bits = (int) (long) value;
        diagnostics.warning(constant.value().location(), "enum value " + value + " is beyond a"
            + " signed 32-bit int, as XDR enums are: it travels as its 32 bits, " + bits
            + ", as rpcgen's C sends it (write " + bits + " to say so)", context);
        value = (long) bits;
      }
      values.putIfAbsent(constant.name(), value); // a name given again is an error (Scope); the first stands
      next = value == null ? next + 1 : value + 1;
    }
    evaluating.remove(decl);
    partial.remove(decl);
    enums.put(decl, values);
    return values;
  }

  private BigInteger reference(ExprElement.Reference reference, String file, String... context) {
    if (reference.name().equals("TRUE")) {
      return BigInteger.ONE;
    }
    if (reference.name().equals("FALSE")) {
      return BigInteger.ZERO;
    }
    if (!scope.sees(reference.name(), file) && CTypeNames.constant(reference.name()) != null) {
      return BigInteger.valueOf(CTypeNames.constant(reference.name()));
    }
    Scope.RpclNumber rpcl = scope.rpclNumber(reference.name(), file);
    if (rpcl != null) {
      if (!evaluating.add(rpcl)) {
        diagnostics.error(reference.location(), "'" + rpcl.name() + "' is numbered in terms of itself", context);
        return null;
      }
      BigInteger number = exact(rpcl.number(), rpcl.file(), context);
      evaluating.remove(rpcl);
      return number;
    }
    Scope.Value value = scope.value(reference.name(), file, reference.location(), context);
    if (value == null) {
      return null;
    }
    if (value.constant() != null) {
      if (value.constant().text() != null) {
        diagnostics.error(reference.location(),
            "'" + reference.name() + "' is a string constant, not a number", context);
        return null;
      }
      return constant(value.constant(), value.file());
    }
    Map<String, Long> given = partial.get(value.owner());
    if (given != null && !given.containsKey(value.name())) {
      // As in C, where an enum constant is known from its own declaration on.
      diagnostics.error(reference.location(), "enum constant '" + value.name()
          + "' is used before its declaration in enum " + value.owner().name(), context);
      return null;
    }
    Long enumValue = given != null ? given.get(value.name())
        : enumValues(value.owner(), value.file()).get(value.name());
    return enumValue == null ? null : BigInteger.valueOf(enumValue);
  }

  private BigInteger literal(ExprElement.NumberLiteral number, String... context) {
    BigInteger value = literalValue(number.text());
    if (value == null) {
      // '09' or '018': C's octal, which rpcgen hands to the C compiler as it is.
      String octal = number.text().matches("0[0-9]+")
          ? ": a leading 0 makes it octal, as in C, and octal has no 8 or 9 (write "
              + number.text().replaceFirst("^0+", "") + " for decimal)" : "";
      diagnostics.error(number.location(), "invalid number '" + number.text() + "'" + octal, context);
      return null;
    }
    return checked(number.location(), value, context);
  }

  /** A literal's value: hexadecimal, octal or decimal; null if it is none of them. */
  static BigInteger literalValue(String text) {
    if (text.startsWith("0x") || text.startsWith("0X")) {
      return new BigInteger(text.substring(2), 16);
    } else if (text.length() > 1 && text.startsWith("0")) {
      return text.matches("0[0-7]+") ? new BigInteger(text.substring(1), 8) : null;
    }
    return new BigInteger(text);
  }

  /**
   * True for {@code const NAME = LITERAL;} whose literal is beyond 64 bits (oncrpc4j's
   * Calculator.x: {@code HUGE_CONST = 0xFFF000000000000000000}): rpcgen only writes it into a
   * {@code #define}, and C minds only where it is used; Java leaves it out, with a warning.
   */
  static boolean beyond64Bits(DeclElement.ConstDecl decl) {
    if (!(decl.value() instanceof ExprElement.NumberLiteral number)) {
      return false;
    }
    BigInteger value = literalValue(number.text());
    return value != null && (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0);
  }

  private BigInteger checked(Location at, BigInteger value, String... context) {
    if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
      diagnostics.error(at, "constant expression overflows 64 bits", context);
      return null;
    }
    return value;
  }
}
