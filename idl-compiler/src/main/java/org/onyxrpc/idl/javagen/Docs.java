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

  /** A type's doc, a fallback sentence when it has none, and {@code @param} per documented field. */
  static CodeBlock of(String doc, String fallback, List<Field> fields, List<String> javaNames) {
    CodeBlock.Builder javadoc = CodeBlock.builder().add("$L\n", doc == null ? fallback : doc);
    boolean first = true;
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).doc() != null) {
        if (first) {
          javadoc.add("\n");
          first = false;
        }
        javadoc.add("@param $L $L\n", javaNames.get(i), fields.get(i).doc());
      }
    }
    return javadoc.build();
  }
}
