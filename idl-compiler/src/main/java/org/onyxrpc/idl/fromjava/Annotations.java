package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import java.util.Optional;

/**
 * Onyx's Java-first annotations, recognised by simple name so that the compiler needs no
 * annotation library and a project may declare them itself ({@code @Program}, {@code @Version},
 * {@code @Procedure}, {@code @Value}, {@code @Case}, {@code @NumberedInOrder}, {@code @Idempotent},
 * {@code @Oneway}, {@code @Size}, {@code @Nullable}).
 */
final class Annotations {
  private Annotations() {}

  static Optional<AnnotationExpr> find(NodeWithAnnotations<?> node, String simpleName) {
    return node.getAnnotations().stream()
        .filter(a -> a.getName().getIdentifier().equals(simpleName))
        .findFirst();
  }

  static boolean has(NodeWithAnnotations<?> node, String simpleName) {
    return find(node, simpleName).isPresent();
  }

  /**
   * The integer given as {@code @A(N)}, {@code @A(value = N)} or, for {@code member},
   * {@code @A(member = N)}; empty when the annotation is absent or gives no such member
   * ({@code @Size(min = 1)} sets no bound).
   *
   * @throws IllegalArgumentException when the value is not an integer literal
   */
  static Optional<Long> number(NodeWithAnnotations<?> node, String simpleName, String member) {
    Optional<AnnotationExpr> found = find(node, simpleName);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Expression value = null;
    if (found.get() instanceof SingleMemberAnnotationExpr single) {
      value = single.getMemberValue();
    } else if (found.get() instanceof NormalAnnotationExpr normal) {
      for (MemberValuePair pair : normal.getPairs()) {
        if (pair.getNameAsString().equals(member) || pair.getNameAsString().equals("value")) {
          value = pair.getValue();
        }
      }
    }
    return value == null ? Optional.empty() : Optional.of(literal(value, simpleName));
  }

  private static long literal(Expression value, String simpleName) {
    boolean negative = false;
    if (value instanceof UnaryExpr unary && unary.getOperator() == UnaryExpr.Operator.MINUS) {
      negative = true;
      value = unary.getExpression();
    }
    String text;
    if (value instanceof IntegerLiteralExpr integer) {
      text = integer.getValue();
    } else if (value instanceof LongLiteralExpr longLiteral) {
      text = longLiteral.getValue();
    } else {
      throw new IllegalArgumentException("@" + simpleName + " needs an integer literal, not `"
          + value + "` (the Java is read without compiling it, so constants are not known)");
    }
    text = text.replace("_", "").replaceAll("[lL]$", "");
    long number = text.startsWith("0x") || text.startsWith("0X")
        ? Long.parseLong(text.substring(2), 16)
        : text.startsWith("0b") || text.startsWith("0B") ? Long.parseLong(text.substring(2), 2)
        : text.length() > 1 && text.startsWith("0") ? Long.parseLong(text.substring(1), 8)
        : Long.parseLong(text);
    return negative ? -number : number;
  }
}
