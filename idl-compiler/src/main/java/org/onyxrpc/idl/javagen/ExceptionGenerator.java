package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.VALUE_TEXT;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * A declared exception becomes a checked exception with record-style accessors and a CODEC that
 * writes its fields like a struct's, so it can travel as an arm of a reply union.
 */
final class ExceptionGenerator {
  private final JavaTypes types;

  ExceptionGenerator(JavaTypes types) {
    this.types = types;
  }

  TypeSpec generate(TypeDecl.StructType decl) {
    ClassName name = types.className(decl.name());
    List<String> names = fieldNames(decl);
    TypeSpec.Builder type = types.qualified(TypeSpec.classBuilder(name), name)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(Exception.class)
        // a class takes no @param for its fields: they are documented on the constructor
        .addJavadoc(Docs.of(decl.doc() != null ? decl.doc()
            : "The IDL exception {@code " + decl.name() + "}."))
        .addField(FieldSpec.builder(TypeName.LONG, "serialVersionUID",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("1L").build());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Creates the exception$L\n", decl.fields().isEmpty() ? "." : " from its fields.\n");
    int message = -1;
    for (int i = 0; i < decl.fields().size(); i++) {
      Field field = decl.fields().get(i);
      if (names.get(i).equals("message") && field.type() instanceof Type.StringType) {
        message = i;
      }
      addField(type, constructor, field, names.get(i));
    }
    addMessage(type, constructor, decl, names, message);
    requireNonNull(constructor, name, decl, names);
    for (String field : names) {
      constructor.addStatement("this.$L = $L", field, field);
    }
    type.addMethod(constructor.build());
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(XDR_CODEC, name), "CODEC",
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Writes and reads the fields in order, like a struct.\n")
        .initializer("$L", codec(name, decl.fields(), names))
        .build());
    return type.build();
  }

  /** The Java names of the exception's fields, clear of Throwable's methods and the class's own. */
  private static List<String> fieldNames(TypeDecl.StructType decl) {
    Names.Allocator allocator = new Names.Allocator("CODEC", "serialVersionUID", "getMessage",
        "getCause", "getLocalizedMessage", "getStackTrace", "getSuppressed", "fillInStackTrace",
        "printStackTrace", "initCause", "addSuppressed", "setStackTrace");
    List<String> names = new ArrayList<>();
    for (Field field : decl.fields()) {
      names.add(allocator.allocate(Names.camel(field.name())));
    }
    return names;
  }

  /** A field {@code javaName}: the constructor's parameter, the private field and its getter. */
  private void addField(TypeSpec.Builder type, MethodSpec.Builder constructor, Field field,
      String javaName) {
    TypeName javaType = types.java(field.type());
    constructor.addParameter(javaType, javaName);
    FieldSpec.Builder javaField =
        FieldSpec.builder(javaType, javaName, Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("$L\n", Docs.fieldSentence(field));
    if (!types.serializable(field.type())) {
      // Every Throwable is Serializable, the IDL's records are not: javac 18 and later warn
      // (-Xlint:serial) of each such field, and a serialized exception would fail loudly
      // rather than arrive without it, as a transient field would.
      javaField.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
          .addMember("value", "$S", "serial").build());
    }
    type.addField(javaField.build());
    constructor.addJavadoc("@param $L $L\n", javaName, Docs.field(field));
    type.addMethod(MethodSpec.methodBuilder(javaName)
        .addJavadoc("$L\n\n@return the {@code $L} field\n", Docs.fieldSentence(field), field.name())
        .addModifiers(Modifier.PUBLIC)
        .returns(javaType)
        .addStatement("return $L", javaName)
        .build());
  }

  /**
   * The exception's message: its string field {@code message} (the field at index {@code
   * message}, -1: none), else the name of an exception without fields, else every field,
   * described when asked for.
   */
  private void addMessage(TypeSpec.Builder type, MethodSpec.Builder constructor,
      TypeDecl.StructType decl, List<String> names, int message) {
    if (message >= 0) {
      constructor.addStatement("super($L)", names.get(message));
    } else if (names.isEmpty()) {
      constructor.addStatement("super($S)", decl.name());
    } else {
      type.addMethod(MethodSpec.methodBuilder("getMessage")
          .addJavadoc("The fields, each cut short: a server chose how long they are.\n\n"
              + "@return {@code name=value} for each field\n")
          .addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC)
          .returns(String.class)
          .addStatement("return $L", describe(decl, names))
          .build());
    }
  }

  /** The constructor's null checks of the fields that may not be null, and their @throws. */
  private void requireNonNull(MethodSpec.Builder constructor, ClassName name,
      TypeDecl.StructType decl, List<String> names) {
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (StructGenerator.requireNonNull(constructor, types, name.simpleName(),
          decl.fields().get(i).type(), names.get(i))) {
        checked.add(names.get(i));
      }
    }
    if (!checked.isEmpty()) {
      constructor.addJavadoc("@throws NullPointerException if $L null\n",
          UnionGenerator.nullable(checked));
    }
  }

  /**
   * {@code ValueText.describe("title", title, "code", code)}: built when asked for, not with
   * the exception, and bounded whatever the fields hold.
   */
  private CodeBlock describe(TypeDecl.StructType decl, List<String> names) {
    CodeBlock.Builder text = CodeBlock.builder().add("$T.describe(", VALUE_TEXT);
    for (int i = 0; i < names.size(); i++) {
      text.add(i == 0 ? "$S, $L" : ",$W$S, $L", decl.fields().get(i).name(), names.get(i));
    }
    return text.add(")").build();
  }

  private TypeSpec codec(ClassName name, List<Field> fields, List<String> names) {
    CodecWriter writer = new CodecWriter(types, CodecWriter.encodeLocals());
    CodeBlock.Builder encode = CodeBlock.builder();
    for (int i = 0; i < fields.size(); i++) {
      writer.encode(encode, fields.get(i).type(), CodeBlock.of("value.$L()", names.get(i)));
    }
    Names.Allocator decodeLocals = CodecWriter.decodeLocals();
    CodecWriter reader = new CodecWriter(types, decodeLocals);
    CodeBlock.Builder decode = CodeBlock.builder();
    List<String> locals = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String local = decodeLocals.allocate(names.get(i));
      CodeBlock read = reader.decode(decode, fields.get(i).type());
      decode.addStatement("$T $L = $L", types.java(fields.get(i).type()), local, read);
      locals.add(local);
    }
    decode.addStatement("return new $T($L)", name, String.join(", ", locals));
    return CodecWriter.anonymousCodec(name, encode.build(), decode.build());
  }
}
