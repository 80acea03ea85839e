package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import org.onyxrpc.idl.schema.Field;

/** Javadoc from IDL doc comments. */
final class Docs {
  private Docs() {}

  /** The doc text followed by a newline, or an empty block. */
  static CodeBlock of(String doc) {
    return doc == null ? CodeBlock.of("") : CodeBlock.of("$L\n", doc);
  }

  /**
   * A record's doc, a fallback sentence when it has none, and {@code @param} per component (the
   * field's doc, else its IDL name): javadoc since JDK 18 asks for every component.
   */
  static CodeBlock of(String doc, String fallback, List<Field> fields, List<String> javaNames) {
    return of(doc, fallback, fields, javaNames, "field");
  }

  /** As above, for components that are {@code what}s ("field", "argument"). */
  static CodeBlock of(String doc, String fallback, List<Field> fields, List<String> javaNames,
      String what) {
    CodeBlock.Builder javadoc = CodeBlock.builder().add("$L\n", doc == null ? fallback : doc);
    for (int i = 0; i < fields.size(); i++) {
      javadoc.add(i == 0 ? "\n@param $L $L\n" : "@param $L $L\n", javaNames.get(i),
          field(fields.get(i), what));
    }
    return javadoc.build();
  }

  /** A field's doc, else "the {@code name} field". */
  static String field(Field field) {
    return field(field, "field");
  }

  private static String field(Field field, String what) {
    return field.doc() != null ? field.doc() : "the {@code " + field.name() + "} " + what;
  }
}
