package org.onyxrpc.idl.link;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.Diagnostics;
import org.onyxrpc.idl.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements.EnumValue;
import org.onyxrpc.idl.parser.ExprElement;

/**
 * Evaluates constant expressions in 64-bit arithmetic with overflow checks. Constants may refer
 * to constants declared later or in imported files; cycles are errors.
 */
final class ConstantEvaluator {
  private final Scope scope;
  private final Diagnostics diagnostics;
  private final Map<String, Long> constants = new HashMap<>();
  private final Map<DeclElement.EnumDecl, Map<String, Long>> enums = new HashMap<>();
  private final Set<Object> evaluating = new HashSet<>();

  ConstantEvaluator(Scope scope, Diagnostics diagnostics) {
    this.scope = scope;
    this.diagnostics = diagnostics;
  }

  /** The value of {@code expr} written in {@code file}, or null after an error. */
  Long evaluate(ExprElement expr, String file, String... context) {
    if (expr instanceof ExprElement.NumberLiteral number) {
      return literal(number, context);
    }
    if (expr instanceof ExprElement.Reference reference) {
      return reference(reference, file, context);
    }
    if (expr instanceof ExprElement.Unary unary) {
      Long operand = evaluate(unary.operand(), file, context);
      if (operand == null) {
        return null;
      }
      if (unary.operator().equals("-")) {
        return checked(unary.location(), () -> Math.negateExact(operand), context);
      }
      return unary.operator().equals("~") ? Long.valueOf(~operand) : operand;
    }
    ExprElement.Binary binary = (ExprElement.Binary) expr;
    Long left = evaluate(binary.left(), file, context);
    Long right = evaluate(binary.right(), file, context);
    if (left == null || right == null) {
      return null;
    }
    Location at = binary.location();
    switch (binary.operator()) {
      case "*":
        return checked(at, () -> Math.multiplyExact(left, right), context);
      case "/":
        if (right == 0) {
          diagnostics.error(at, "division by zero in constant expression", context);
          return null;
        }
        return left / right;
      case "+":
        return checked(at, () -> Math.addExact(left, right), context);
      case "-":
        return checked(at, () -> Math.subtractExact(left, right), context);
      case "<<":
      case ">>":
        if (right < 0 || right > 63) {
          diagnostics.error(at, "shift count must be between 0 and 63", context);
          return null;
        }
        return binary.operator().equals("<<") ? left << right : left >> right;
      case "&":
        return left & right;
      case "^":
        return left ^ right;
      default:
        return left | right;
    }
  }

  /** The value of a const declaration, or null after an error. */
  Long constant(DeclElement.ConstDecl decl, String file) {
    if (constants.containsKey(decl.name())) {
      return constants.get(decl.name());
    }
    if (!evaluating.add(decl)) {
      diagnostics.error(decl.location(), "constant '" + decl.name() + "' is defined in terms of itself");
      constants.put(decl.name(), null);
      return null;
    }
    Long value = evaluate(decl.value(), file);
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
    long next = 0;
    for (EnumValue constant : decl.values()) {
      Long value = constant.value() == null ? Long.valueOf(next)
          : evaluate(constant.value(), file, "in enum " + decl.name() + " (" + decl.location() + ")");
      values.put(constant.name(), value);
      next = value == null ? next + 1 : value + 1;
    }
    evaluating.remove(decl);
    enums.put(decl, values);
    return values;
  }

  private Long reference(ExprElement.Reference reference, String file, String... context) {
    if (reference.name().equals("TRUE")) {
      return 1L;
    }
    if (reference.name().equals("FALSE")) {
      return 0L;
    }
    Scope.Value value = scope.value(reference.name(), file, reference.location(), context);
    if (value == null) {
      return null;
    }
    if (value.constant() != null) {
      return constant(value.constant(), value.file());
    }
    return enumValues(value.owner(), value.file()).get(value.name());
  }

  private Long literal(ExprElement.NumberLiteral number, String... context) {
    String text = number.text();
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return Long.parseLong(text.substring(2), 16);
      }
      if (text.length() > 1 && text.startsWith("0")) {
        return Long.parseLong(text.substring(1), 8);
      }
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      diagnostics.error(number.location(), "invalid number '" + text + "'", context);
      return null;
    }
  }

  private interface Exact {
    long compute();
  }

  private Long checked(Location at, Exact exact, String... context) {
    try {
      return exact.compute();
    } catch (ArithmeticException e) {
      diagnostics.error(at, "constant expression overflows 64 bits", context);
      return null;
    }
  }
}
