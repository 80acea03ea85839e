package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.nodeTypes.NodeWithJavadoc;
import com.github.javaparser.javadoc.Javadoc;
import com.github.javaparser.javadoc.JavadocBlockTag;
import com.github.javaparser.javadoc.description.JavadocDescription;
import com.github.javaparser.javadoc.description.JavadocDescriptionElement;
import com.github.javaparser.javadoc.description.JavadocInlineTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Doc comments and names as they are written into the {@code .idl}. */
final class IdlText {
  private IdlText() {}

  /** The Javadoc's description as an IDL doc comment indented by {@code indent}, or "". */
  static String doc(NodeWithJavadoc<?> node, String indent) {
    return doc(node.getJavadoc().map(j -> plain(j.getDescription())), indent);
  }

  /**
   * A method's Javadoc as a procedure's doc comment: the description, then its {@code @return}
   * (unless the method is void) and the {@code @throws} of the exceptions named in {@code kept},
   * which idlc carries into the generated methods.
   */
  static String methodDoc(MethodDeclaration method, Set<String> kept, String indent) {
    Optional<Javadoc> javadoc = method.getJavadoc();
    if (javadoc.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    String description = plain(javadoc.get().getDescription()).strip();
    if (!description.isEmpty()) {
      parts.add(description + "\n");
    }
    for (JavadocBlockTag tag : javadoc.get().getBlockTags()) {
      String content = plain(tag.getContent()).strip();
      if (content.isEmpty()) {
        continue;
      }
      if (tag.getType() == JavadocBlockTag.Type.RETURN && !method.getType().isVoidType()) {
        parts.add("@return " + content);
      } else if ((tag.getType() == JavadocBlockTag.Type.THROWS
          || tag.getType() == JavadocBlockTag.Type.EXCEPTION) && tag.getName().isPresent()) {
        String name = tag.getName().get();
        name = name.substring(name.lastIndexOf('.') + 1);
        if (kept.contains(name)) {
          parts.add("@throws " + name + " " + content);
        }
      }
    }
    return doc(Optional.of(String.join("\n", parts)), indent);
  }

  /** The {@code @param name} text of a Javadoc (a record's component), as a doc comment. */
  static String paramDoc(NodeWithJavadoc<?> node, String name, String indent) {
    Optional<Javadoc> javadoc = node.getJavadoc();
    return doc(javadoc.flatMap(j -> j.getBlockTags().stream()
        .filter(t -> t.getType() == JavadocBlockTag.Type.PARAM
            && t.getName().filter(name::equals).isPresent())
        .map(t -> plain(t.getContent())).findFirst()), indent);
  }

  /**
   * Javadoc text as the plain text an IDL doc comment is: an inline tag becomes its content
   * ({@code {@code count}} becomes {@code count}), which idlc would otherwise show as written.
   */
  private static String plain(JavadocDescription description) {
    StringBuilder text = new StringBuilder();
    for (JavadocDescriptionElement element : description.getElements()) {
      text.append(element instanceof JavadocInlineTag tag ? tag.getContent().strip() : element.toText());
    }
    return text.toString();
  }

  /**
   * The {@code @param name} text of a method's Javadoc as a one-line doc comment and a space,
   * to stand before the parameter in the procedure's argument list, or "".
   */
  static String inlineParamDoc(NodeWithJavadoc<?> node, String name) {
    String doc = paramDoc(node, name, "");
    if (doc.isEmpty()) {
      return "";
    }
    String body = doc.strip();
    body = body.substring("/**".length(), body.length() - "*/".length()).lines()
        .map(line -> line.strip().startsWith("*") ? line.strip().substring(1) : line)
        .map(String::strip).filter(line -> !line.isEmpty())
        .reduce((a, b) -> a + " " + b).orElse("");
    return "/** " + body + " */ ";
  }

  private static String doc(Optional<String> text, String indent) {
    String body = text.map(String::strip).orElse("").replace("*/", "*&#47;");
    if (body.isEmpty()) {
      return "";
    }
    if (!body.contains("\n")) {
      return indent + "/** " + body + " */\n";
    }
    StringBuilder out = new StringBuilder(indent).append("/**\n");
    body.lines().forEach(line -> out.append(indent).append(" *")
        .append(line.isBlank() ? "" : " " + line.strip()).append('\n'));
    return out.append(indent).append(" */\n").toString();
  }

  /** Words of the IDL that are legal Java names, so a Java name may be one of them. */
  private static final Set<String> RESERVED = Set.of("bool", "hyper",
      "opaque", "program", "quadruple", "string", "struct", "typedef", "union", "unsigned",
      "version");

  /** True when {@code name} cannot be written as a name in the IDL. */
  static boolean reserved(String name) {
    return RESERVED.contains(name);
  }

  /** {@code LookupResult} → {@code LOOKUP_RESULT}. */
  static String constantCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** {@code Found} → {@code found}. */
  static String lowerFirst(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
