package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Value semantics that records lack for some components. A record's own equals compares arrays
 * by reference, so records with {@code opaque} or scalar-array components get equals, hashCode
 * and toString that look at the contents. A linked list (a struct with one field of its own
 * optional type) gets them as loops, since the record's own would recurse once per node.
 */
final class ArrayMembers {
  private ArrayMembers() {}

  static void addIfNeeded(TypeSpec.Builder record, ClassName name, List<TypeName> types,
      List<String> names) {
    if (types.stream().noneMatch(t -> t instanceof ArrayTypeName)) {
      return;
    }
    CodeBlock.Builder equal = CodeBlock.builder().add("return other instanceof $T that", name);
    CodeBlock.Builder hash = CodeBlock.builder().addStatement("int hash = 0");
    CodeBlock.Builder text = CodeBlock.builder().add("return $S", name.simpleName() + "[");
    for (int i = 0; i < names.size(); i++) {
      String component = names.get(i);
      equal.add("\n    && $L", equalTerm(types.get(i), "this." + component, "that." + component));
      hash.addStatement("hash = 31 * hash + $L", hashTerm(types.get(i), "this." + component));
      text.add(" + $S + $L", (i == 0 ? "" : ", ") + component + "=",
          textTerm(types.get(i), "this." + component));
    }
    record.addMethod(equalsMethod().addStatement("$L", equal.build()).build());
    record.addMethod(hashCodeMethod().addCode(hash.build()).addStatement("return hash").build());
    record.addMethod(toStringMethod().addStatement("$L + $S", text.build(), "]").build());
  }

  /**
   * Loop-based equals, hashCode and toString for a linked list whose link is {@code link}, an
   * {@code Optional} of the next node when {@code twice} ({@code S **}).
   */
  static void addForList(TypeSpec.Builder record, ClassName name, List<TypeName> types,
      List<String> names, int link, boolean twice) {
    CodeBlock.Builder same = CodeBlock.builder();
    CodeBlock.Builder hash = CodeBlock.builder();
    CodeBlock.Builder text = CodeBlock.builder();
    boolean first = true;
    for (int i = 0; i < names.size(); i++) {
      if (i == link) {
        continue;
      }
      String component = names.get(i);
      same.add(first ? "$L" : "\n    && $L",
          equalTerm(types.get(i), "a." + component + "()", "b." + component + "()"));
      hash.addStatement("hash = 31 * hash + $L", hashTerm(types.get(i), "n." + component + "()"));
      text.addStatement("text.append($S).append($L)", (first ? "" : ", ") + component + "=",
          textTerm(types.get(i), "n." + component + "()"));
      first = false;
    }
    String next = names.get(link) + "()";
    if (twice) {
      addForOptionalLinks(record, name, types.get(link), next, first ? CodeBlock.of("true")
          : same.build(), hash.build(), text.build());
      return;
    }
    record.addMethod(equalsMethod()
        .beginControlFlow("if (!(other instanceof $T))", name).addStatement("return false").endControlFlow()
        .addStatement("$T a = this", name)
        .addStatement("$T b = ($T) other", name, name)
        .beginControlFlow("while (a != null && b != null && a != b)")
        .beginControlFlow("if (!($L))", first ? CodeBlock.of("true") : same.build())
        .addStatement("return false")
        .endControlFlow()
        .addStatement("a = a.$L", next)
        .addStatement("b = b.$L", next)
        .endControlFlow()
        .addStatement("return a == b")
        .build());
    record.addMethod(hashCodeMethod()
        .addStatement("int hash = 0")
        .beginControlFlow("for ($T n = this; n != null; n = n.$L)", name, next)
        .addCode(hash.build())
        .endControlFlow()
        .addStatement("return hash")
        .build());
    record.addMethod(toStringMethod()
        .addStatement("$T text = new $T()", StringBuilder.class, StringBuilder.class)
        .beginControlFlow("for ($T n = this; n != null; n = n.$L)", name, next)
        .addStatement("text.append(n == this ? $S : $S)", name.simpleName() + "[",
            " -> " + name.simpleName() + "[")
        .addCode(text.build())
        .addStatement("text.append(']')")
        .endControlFlow()
        .addStatement("return text.toString()")
        .build());
  }

  /** As above for links {@code Optional<S>}: a list ends at null or at Optional.empty(). */
  private static void addForOptionalLinks(TypeSpec.Builder record, ClassName name, TypeName link,
      String next, CodeBlock same, CodeBlock hash, CodeBlock text) {
    record.addMethod(equalsMethod()
        .beginControlFlow("if (!(other instanceof $T))", name).addStatement("return false").endControlFlow()
        .addStatement("$T a = this", name)
        .addStatement("$T b = ($T) other", name, name)
        .beginControlFlow("while (a != b)")
        .beginControlFlow("if (!($L))", same)
        .addStatement("return false")
        .endControlFlow()
        .addStatement("$T la = a.$L", link, next)
        .addStatement("$T lb = b.$L", link, next)
        .beginControlFlow("if (la == null || lb == null || la.isEmpty() || lb.isEmpty())")
        .addStatement("return $T.equals(la, lb)", Objects.class)
        .endControlFlow()
        .addStatement("a = la.get()")
        .addStatement("b = lb.get()")
        .endControlFlow()
        .addStatement("return true")
        .build());
    record.addMethod(hashCodeMethod()
        .addStatement("int hash = 0")
        .beginControlFlow("for ($T n = this; n != null; n = n.$L == null ? null : n.$L.orElse(null))",
            name, next, next)
        .addCode(hash)
        .endControlFlow()
        .addStatement("return hash")
        .build());
    record.addMethod(toStringMethod()
        .addStatement("$T text = new $T()", StringBuilder.class, StringBuilder.class)
        .addStatement("$T n = this", name)
        .beginControlFlow("while (true)")
        .addStatement("text.append(n == this ? $S : $S)", name.simpleName() + "[",
            " -> " + name.simpleName() + "[")
        .addCode(text)
        .addStatement("text.append(']')")
        .addStatement("$T link = n.$L", link, next)
        .beginControlFlow("if (link == null)").addStatement("break").endControlFlow()
        .beginControlFlow("if (link.isEmpty())")
        .addStatement("text.append($S)", " -> Optional.empty")
        .addStatement("break")
        .endControlFlow()
        .addStatement("n = link.get()")
        .endControlFlow()
        .addStatement("return text.toString()")
        .build());
  }

  private static CodeBlock equalTerm(TypeName type, String left, String right) {
    if (type instanceof ArrayTypeName) {
      return CodeBlock.of("$T.equals($L, $L)", Arrays.class, left, right);
    }
    if (type.equals(TypeName.FLOAT) || type.equals(TypeName.DOUBLE)) {
      return CodeBlock.of("$T.compare($L, $L) == 0", type.box(), left, right);
    }
    if (type.isPrimitive()) {
      return CodeBlock.of("$L == $L", left, right);
    }
    return CodeBlock.of("$T.equals($L, $L)", Objects.class, left, right);
  }

  private static CodeBlock hashTerm(TypeName type, String value) {
    if (type instanceof ArrayTypeName) {
      return CodeBlock.of("$T.hashCode($L)", Arrays.class, value);
    }
    if (type.isPrimitive()) {
      return CodeBlock.of("$T.hashCode($L)", type.box(), value);
    }
    return CodeBlock.of("$T.hashCode($L)", Objects.class, value);
  }

  private static CodeBlock textTerm(TypeName type, String value) {
    return type instanceof ArrayTypeName ? CodeBlock.of("$T.toString($L)", Arrays.class, value)
        : CodeBlock.of("$L", value);
  }

  private static MethodSpec.Builder equalsMethod() {
    return MethodSpec.methodBuilder("equals").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(TypeName.BOOLEAN).addParameter(Object.class, "other");
  }

  private static MethodSpec.Builder hashCodeMethod() {
    return MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(TypeName.INT);
  }

  private static MethodSpec.Builder toStringMethod() {
    return MethodSpec.methodBuilder("toString").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(String.class);
  }
}
