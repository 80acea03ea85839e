package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;

/**
 * Javadoc from IDL doc comments and, where the IDL has none, from what the IDL says for sure: a
 * value's XDR type and bounds, a procedure's number and promise. Never "the {@code x} field".
 */
final class Docs {
  /** libtirpc's RPC_MAXDATASIZE, the most {@code xdr_wrapstring} codes. */
  private static final int WRAPSTRING_BYTES = 9000;

  private Docs() {}

  /** The doc text followed by a newline, or an empty block. */
  static CodeBlock of(String doc) {
    return doc == null ? CodeBlock.of("") : CodeBlock.of("$L\n", doc);
  }

  /**
   * A record's doc, a fallback sentence when it has none, and {@code @param} per component (the
   * field's doc, else its XDR type): javadoc since JDK 18 asks for every component.
   */
  static CodeBlock of(String doc, String fallback, List<Field> fields, List<String> javaNames) {
    CodeBlock.Builder javadoc = CodeBlock.builder().add("$L\n", doc == null ? fallback : doc);
    for (int i = 0; i < fields.size(); i++) {
      javadoc.add(i == 0 ? "\n@param $L $L\n" : "@param $L $L\n", javaNames.get(i),
          field(fields.get(i)));
    }
    return javadoc.build();
  }

  /**
   * A field's doc, else its XDR type and bounds (a phrase, for {@code @param} and {@code @return}).
   * A doc says what the field means, not what Java's type hides (a bound, an unsigned int): where
   * there is such a limit, the XDR type and it follow the doc in parentheses.
   */
  static String field(Field field) {
    String wire = wire(field.type(), field.written());
    if (field.doc() == null) {
      return wire;
    }
    return limits(field.type()).isEmpty() ? field.doc() : field.doc() + " (" + wire + ")";
  }

  /**
   * A procedure's lone argument or its result as {@link #field} says it, with what rpcgen's C
   * does to one written {@code string} itself in an rpcgen file ({@code rpcgen}): it codes it
   * with {@code xdr_wrapstring}, which libtirpc bounds to 9000 bytes (RPC_MAXDATASIZE) whatever
   * the IDL wrote, over TCP too. A typedef's string (written by its name) keeps its own bound in C.
   */
  static String procedureField(Field field, boolean rpcgen) {
    String c = wrapstring(field.type(), field.written(), rpcgen);
    if (c.isEmpty()) {
      return field(field);
    }
    String wire = wire(field.type(), field.written()) + c;
    return field.doc() == null ? wire : field.doc() + " (" + wire + ")";
  }

  /** A procedure's result as {@link #wire} says it, with rpcgen's C bound of a bare string. */
  static String procedureResult(Type type, String written, boolean rpcgen) {
    return wire(type, written) + wrapstring(type, written, rpcgen);
  }

  /** rpcgen's C's 9000 bytes where the IDL allows more of a procedure's own string; else empty. */
  private static String wrapstring(Type type, String written, boolean rpcgen) {
    if (rpcgen && type instanceof Type.StringType string && written.startsWith("string<")
        && Integer.compareUnsigned(string.max(), WRAPSTRING_BYTES) > 0) { // UNBOUNDED is more
      return "; rpcgen's C takes at most " + WRAPSTRING_BYTES + " bytes ({@code xdr_wrapstring})";
    }
    return "";
  }

  /** A field's doc, else a sentence naming it with its XDR type (a summary line). */
  static String fieldSentence(Field field) {
    return field.doc() != null ? field.doc()
        : "The {@code " + field.name() + "} field, " + wire(field.type(), field.written()) + ".";
  }

  /**
   * What travels, in the IDL's own words ({@code written}: typedef names, bounds by their
   * constant's name), and what that allows, such as "XDR tag&lt;MAX_TAGS&gt;: at most 8
   * elements, each at most 32 bytes of UTF-8".
   */
  static String wire(Type type, String written) {
    String limits = limits(type);
    return "XDR {@code " + written + "}" + (limits.isEmpty() ? "" : ": " + limits);
  }

  /** The bounds and Java meaning a reader cannot see in the Java type; empty when none. */
  private static String limits(Type type) {
    if (type == Type.Builtin.UNSIGNED_INT) {
      return "unsigned, in the {@code int}'s 32 bits";
    }
    if (type == Type.Builtin.UNSIGNED_HYPER) {
      return "unsigned, in the {@code long}'s 64 bits";
    }
    if (type instanceof Type.StringType string) {
      return string.max() == Type.UNBOUNDED ? "UTF-8 of any length" : "at most " + string.max() + " bytes of UTF-8";
    }
    if (type instanceof Type.Opaque opaque) {
      return count(opaque.size(), opaque.fixed(), "bytes");
    }
    if (type instanceof Type.Array array) {
      // An array of strings, opaques or arrays is written with a typedef's name, which hides
      // the element's own bound: say it.
      String count = count(array.size(), array.fixed(), "elements");
      String element = limits(array.element());
      return element.isEmpty() ? count
          : count.isEmpty() ? "each " + element : count + ", each " + element;
    }
    if (type instanceof Type.Optional optional && optional.element() instanceof Type.Optional inner) {
      // A pointer to a pointer: Java tells them apart as null and Optional.empty().
      String element = limits(inner.element());
      return "null when absent, {@code Optional.empty()} when present but holding no value"
          + (element.isEmpty() ? "" : "; else " + element);
    }
    if (type instanceof Type.Optional optional) {
      String element = limits(optional.element());
      return "null when absent" + (element.isEmpty() ? "" : "; else " + element);
    }
    return "";
  }

  private static String count(int size, boolean fixed, String what) {
    return fixed ? "exactly " + size + " " + what
        : size == Type.UNBOUNDED ? "" : "at most " + size + " " + what;
  }

  /**
   * The procedure's number and what a caller is promised if the network fails, as the
   * {@code Procedure} constant declares it ({@code CallSemantics}).
   */
  static CodeBlock promise(Service.Procedure procedure) {
    String number = Integer.toUnsignedString(procedure.number());
    if (procedure.oneway()) {
      return CodeBlock.of("Procedure $L, one-way: no reply and never retransmitted, so it runs once or\n"
          + "not at all ({@link $T#MAYBE}).\n", number, RuntimeTypes.CALL_SEMANTICS);
    }
    if (procedure.has("idempotent")) {
      return CodeBlock.of("Procedure $L, idempotent: retransmitted until a reply or the deadline, so it\n"
          + "may run more than once ({@link $T#AT_LEAST_ONCE}).\n", number, RuntimeTypes.CALL_SEMANTICS);
    }
    return CodeBlock.of("Procedure $L: retransmitted, and an Onyx server runs it at most once, replaying\n"
        + "its saved reply ({@link $T#AT_MOST_ONCE}).\n", number, RuntimeTypes.CALL_SEMANTICS);
  }
}
