package org.onyxrpc.idl.link;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.TypeElement;

/**
 * Whether a second declaration of a name says what the first one does: the same kind, the same
 * types, bounds and values as written, wherever they are written (nfs-ganesha's {@code nfs4.x}
 * declares {@code typedef opaque nfs_fh4<NFS4_FHSIZE>;} twice). Such a redeclaration is a warning
 * and the first declaration stands; any other is an error. Enums and programs are never the same:
 * their constants and numbers would be declared twice.
 */
final class Redeclaration {
  private Redeclaration() {}

  /** True when {@code second} declares exactly what {@code first} does. */
  static boolean same(DeclElement first, DeclElement second) {
    String meaning = meaning(first);
    return meaning != null && meaning.equals(meaning(second));
  }

  /** True for {@code const TRUE = 1;} and {@code const FALSE = 0;}: XDR's own booleans again. */
  static boolean predefinedAsIs(DeclElement.ConstDecl constant) {
    String expected = constant.name().equals("TRUE") ? "1"
        : constant.name().equals("FALSE") ? "0" : null;
    return expected != null && constant.value() instanceof ExprElement.NumberLiteral literal
        && number(literal.text()).equals(expected);
  }

  /**
   * True when {@code second} is another {@code program} block of the program {@code first} names,
   * with the same number: OpenBSD's {@code ypv1.x} adds version 1 of {@code YPPROG} (100004) to
   * {@code yp.x}'s version 2, whose C header it includes, where rpcgen's two {@code #define
   * YPPROG 100004} agree. The linker still rejects a version number the blocks share.
   */
  static boolean anotherBlock(DeclElement first, DeclElement second) {
    return first instanceof DeclElement.ServiceDecl a && second instanceof DeclElement.ServiceDecl b
        && a.rpcl() && b.rpcl() && a.number() != null && b.number() != null
        && expr(a.number()).equals(expr(b.number()));
  }

  /** True for the kinds a redeclaration may repeat: not enums and programs. */
  static boolean comparable(DeclElement decl) {
    return meaning(decl) != null;
  }

  /** The declaration without its name, place and comments; null for kinds never the same. */
  private static String meaning(DeclElement decl) {
    String annotations = decl.annotations().stream()
        .map(a -> "@" + a.name() + "(" + (a.value() != null ? expr(a.value()) : a.text()) + ")")
        .collect(Collectors.joining(" "));
    String body;
    if (decl instanceof DeclElement.TypedefDecl typedef) {
      body = type(typedef.declaration().type());
    } else if (decl instanceof DeclElement.ConstDecl constant) {
      body = constant.value() != null ? expr(constant.value()) : "%" + constant.text();
    } else if (decl instanceof DeclElement.StructDecl struct) {
      body = fields(struct.fields());
    } else if (decl instanceof DeclElement.UnionDecl union) {
      StringBuilder text = new StringBuilder("switch (").append(field(union.discriminant()))
          .append(") {");
      for (Elements.Case c : union.cases()) {
        text.append(c.labels().stream().map(Redeclaration::expr)
            .collect(Collectors.joining(",", "case ", ": "))).append(field(c.arm())).append(';');
      }
      if (union.defaultArm() != null) {
        text.append("default: ").append(field(union.defaultArm())).append(';');
      }
      body = text.append('}').toString();
    } else {
      return null;
    }
    return body == null ? null : decl.kind() + " " + annotations + " " + body;
  }

  private static String fields(List<Elements.Field> fields) {
    StringBuilder text = new StringBuilder("{");
    for (Elements.Field f : fields) {
      String field = field(f);
      if (field == null) {
        return null;
      }
      text.append(field).append(';');
    }
    return text.append('}').toString();
  }

  private static String field(Elements.Field field) {
    String type = type(field.type());
    return type == null ? null : type + " " + field.name();
  }

  private static String type(TypeElement type) {
    if (type == null) {
      return "void";
    } else if (type instanceof TypeElement.Builtin builtin) {
      return builtin.kind().idl();
    } else if (type instanceof TypeElement.Named named) {
      return named.name();
    } else if (type instanceof TypeElement.StringType string) {
      return "string<" + bound(string.max()) + ">";
    } else if (type instanceof TypeElement.Opaque opaque) {
      return opaque.fixed() ? "opaque[" + bound(opaque.size()) + "]"
          : "opaque<" + bound(opaque.size()) + ">";
    } else if (type instanceof TypeElement.Array array) {
      String element = type(array.element());
      return element == null ? null : array.fixed() ? element + "[" + bound(array.size()) + "]"
          : element + "<" + bound(array.size()) + ">";
    } else if (type instanceof TypeElement.Optional optional) {
      String element = type(optional.element());
      return element == null ? null : element + " *";
    }
    // An anonymous enum's constants would be declared twice; a struct or union is its body.
    return meaning(((TypeElement.Inline) type).declaration());
  }

  private static String bound(ExprElement size) {
    return size == null ? "" : expr(size);
  }

  private static String expr(ExprElement expr) {
    if (expr instanceof ExprElement.NumberLiteral literal) {
      return number(literal.text());
    } else if (expr instanceof ExprElement.Reference reference) {
      return reference.name();
    } else if (expr instanceof ExprElement.Unary unary) {
      return unary.operator() + expr(unary.operand());
    }
    ExprElement.Binary binary = (ExprElement.Binary) expr;
    return "(" + expr(binary.left()) + " " + binary.operator() + " " + expr(binary.right()) + ")";
  }

  /** A literal's value, so that {@code 8} and {@code 0x8} are the same; else its text. */
  private static String number(String text) {
    try {
      BigInteger value = ConstantEvaluator.literalValue(text);
      return value == null ? text : value.toString();
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
