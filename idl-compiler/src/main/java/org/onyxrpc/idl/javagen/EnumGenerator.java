package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODECS;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_EXCEPTION;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_READER;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.TypeDecl;

/** An IDL enum becomes a Java enum that carries its wire value. */
final class EnumGenerator {
  private final JavaTypes types;

  EnumGenerator(JavaTypes types) {
    this.types = types;
  }

  /** The Java constant name of each enum constant, in order. */
  static List<String> constantNames(TypeDecl.EnumType decl) {
    Names.Allocator names = new Names.Allocator("CODEC", "value"); // the enum's own fields
    return Names.constants(decl.constants().stream().map(TypeDecl.EnumConstant::name).toList(), names);
  }

  /** The Java constant name of the constant with wire value {@code value}. */
  static String constantName(TypeDecl.EnumType decl, long value) {
    List<String> names = constantNames(decl);
    for (int i = 0; i < names.size(); i++) {
      if (decl.constants().get(i).value() == value) {
        return names.get(i);
      }
    }
    throw new IllegalArgumentException("no constant " + value + " in " + decl.name());
  }

  TypeSpec generate(TypeDecl.EnumType decl) {
    ClassName name = types.className(decl.name());
    TypeSpec.Builder type = types.qualified(TypeSpec.enumBuilder(name), name)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(Docs.of(decl.doc() == null ? "The XDR enum {@code " + decl.name() + "}." : decl.doc()));
    CodeBlock lookup = addConstants(type, decl);
    String unknown = "no " + decl.name() + " has value ";
    return type
        .addField(FieldSpec.builder(ParameterizedTypeName.get(XDR_CODEC, name), "CODEC",
                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Writes and reads the value as an XDR enum.\n")
            .initializer("$T.of((out, value) -> out.writeEnum(value.value()), $T::read)",
                XDR_CODECS, name)
            .build())
        .addField(TypeName.INT, "value", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder()
            .addParameter(TypeName.INT, "value")
            .addStatement("this.value = value")
            .build())
        .addMethod(MethodSpec.methodBuilder("value")
            .addJavadoc("The value on the wire.\n\n@return the value this constant has on the wire\n")
            .addModifiers(Modifier.PUBLIC)
            .returns(TypeName.INT)
            .addStatement("return value")
            .build())
        .addMethod(of(name, unknown))
        .addMethod(read(name, unknown))
        .addMethod(MethodSpec.methodBuilder("constant")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
            .returns(name)
            .addParameter(TypeName.INT, "value")
            .addCode(lookup)
            .build())
        .build();
  }

  /**
   * Adds the enum's constants to {@code type}; returns the body of its {@code constant(int)}
   * lookup, a switch on the wire value (null for a value no constant has).
   */
  private static CodeBlock addConstants(TypeSpec.Builder type, TypeDecl.EnumType decl) {
    List<String> javaNames = constantNames(decl);
    CodeBlock.Builder lookup = CodeBlock.builder().beginControlFlow("switch (value)");
    java.util.Set<Integer> values = new java.util.HashSet<>();
    for (int i = 0; i < javaNames.size(); i++) {
      TypeDecl.EnumConstant constant = decl.constants().get(i);
      String javaName = javaNames.get(i);
      type.addEnumConstant(javaName, TypeSpec.anonymousClassBuilder("$L", constant.value())
          .addJavadoc(Docs.of(constant.doc() == null
              ? "{@code " + constant.name() + "}, wire value " + constant.value() + "." : constant.doc()))
          .build());
      if (values.add(constant.value())) {  // a value shared by several names decodes to the first
        lookup.add("case $L:\n", constant.value()).indent().addStatement("return $L", javaName).unindent();
      }
    }
    return lookup.add("default:\n").indent()
        .addStatement("return null")
        .unindent()
        .endControlFlow()
        .build();
  }

  /** {@code of(int)}: the constant with a wire value, or an XdrException naming the value. */
  private static MethodSpec of(ClassName name, String unknown) {
    return MethodSpec.methodBuilder("of")
        .addJavadoc("The constant with wire value {@code value}.\n\n"
            + "@param value a value read from the wire\n"
            + "@return the constant with that value\n"
            + "@throws $T if no constant has that value\n", XDR_EXCEPTION)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(name)
        .addParameter(TypeName.INT, "value")
        .addStatement("$T constant = constant(value)", name)
        .beginControlFlow("if (constant == null)")
        .addStatement("throw new $T($S + value)", XDR_EXCEPTION, unknown)
        .endControlFlow()
        .addStatement("return constant")
        .build();
  }

  /**
   * The codec's {@code read}. Its refusal is the reader's: without a stack trace where a server
   * reads a peer's call, which a peer may send as fast as it likes.
   */
  private static MethodSpec read(ClassName name, String unknown) {
    return MethodSpec.methodBuilder("read")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(name)
        .addParameter(XDR_READER, "in")
        .addStatement("int value = in.readEnum()")
        .addStatement("$T constant = constant(value)", name)
        .beginControlFlow("if (constant == null)")
        .addStatement("throw in.malformed($S + value)", unknown)
        .endControlFlow()
        .addStatement("return constant")
        .build();
  }
}
