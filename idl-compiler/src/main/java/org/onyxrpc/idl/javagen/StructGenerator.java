package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * An IDL struct becomes a record with a static {@code CODEC}. A struct with exactly one field of
 * its own optional type, {@code S *} or {@code S **} (a linked list), gets a codec that loops
 * instead of recursing.
 */
final class StructGenerator {
  private final JavaTypes types;

  StructGenerator(JavaTypes types) {
    this.types = types;
  }

  /** Java names of the fields, in order, avoiding keywords and the CODEC constant. */
  static List<String> fieldNames(List<Field> fields) {
    Names.Allocator names = new Names.Allocator("CODEC");
    List<String> result = new ArrayList<>();
    for (Field field : fields) {
      result.add(names.allocate(Names.camel(field.name())));
    }
    return result;
  }

  TypeSpec generate(TypeDecl.StructType decl) {
    return record(types.className(decl.name()), decl.fields(),
        Docs.of(decl.doc(), "The XDR struct {@code " + decl.name() + "}.", decl.fields(),
            fieldNames(decl.fields())));
  }

  /** A public record with the fields as components and a CODEC. */
  TypeSpec record(ClassName name, List<Field> fields, CodeBlock javadoc) {
    return record(name, fields, javadoc, Modifier.PUBLIC);
  }

  /** A record with the fields as components and a CODEC; also used for procedure args. */
  TypeSpec record(ClassName name, List<Field> fields, CodeBlock javadoc, Modifier... modifiers) {
    List<String> names = fieldNames(fields);
    MethodSpec.Builder constructor = MethodSpec.compactConstructorBuilder();
    for (int i = 0; i < fields.size(); i++) {
      constructor.addParameter(ParameterSpec.builder(types.java(fields.get(i).type()), names.get(i)).build());
    }
    String owner = String.join(".", name.simpleNames());
    List<String> checked = new ArrayList<>();
    // Every field, a linked list's after its link too: its decoder builds each node once it
    // has all of them (LinkedListCodec).
    int self = selfReference(name, fields);
    for (int i = 0; i < fields.size(); i++) {
      if (requireNonNull(constructor, types, owner, fields.get(i).type(), names.get(i))) {
        checked.add(names.get(i));
      }
    }
    if (!checked.isEmpty()) {
      constructor.addModifiers(Modifier.PUBLIC)
          .addJavadoc("Creates the value, refusing null where XDR has none.\n\n");
      for (int i = 0; i < fields.size(); i++) {
        constructor.addJavadoc("@param $L $L\n", names.get(i), Docs.field(fields.get(i)));
      }
      constructor.addJavadoc("@throws NullPointerException if $L null\n",
          UnionGenerator.nullable(checked));
    }
    TypeSpec.Builder record = types.qualified(TypeSpec.recordBuilder(name), name)
        .addModifiers(modifiers)
        .addJavadoc(javadoc)
        .recordConstructor(constructor.build())
        .addField(FieldSpec.builder(ParameterizedTypeName.get(XDR_CODEC, name), "CODEC",
                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Writes and reads the fields in order (RFC 4506 §4.14).\n")
            .initializer("$L", codec(name, fields, names))
            .build());
    List<TypeName> javaTypes = new ArrayList<>();
    fields.forEach(f -> javaTypes.add(types.java(f.type())));
    if (self >= 0) {
      ArrayMembers.addForList(record, name, javaTypes, names, self, twice(fields.get(self)));
    } else {
      ArrayMembers.addIfNeeded(record, name, javaTypes, names);
    }
    return record.build();
  }

  /**
   * Adds to {@code constructor} a check that component {@code javaName} is not null, unless its
   * type is primitive or optional data (null is how {@code T *} says absent); a null anywhere else
   * would fail only when encoded, far from where it was made, without naming the field. True if
   * a check was added.
   */
  static boolean requireNonNull(MethodSpec.Builder constructor, JavaTypes types, String owner,
      Type type, String javaName) {
    String message = nullMessage(types, owner, type, javaName);
    if (message == null) {
      return false;
    }
    constructor.addStatement("$T.requireNonNull($L,\n$S)", Objects.class, javaName, message);
    return true;
  }

  /**
   * What a null {@code owner.javaName} of {@code type} is refused with, or null when the type
   * has no null to refuse (primitive or optional data).
   */
  static String nullMessage(JavaTypes types, String owner, Type type, String javaName) {
    String kind = nullKind(types, type);
    return kind == null ? null : owner + "." + javaName + " is null; XDR has no null " + kind
        + ", only optional data (T *) may be null";
  }

  /**
   * What a procedure's implementation that returned null for its {@code type} result is refused
   * with, named {@code owner} (a scalar too: an async result is boxed), or null when the type has
   * a null (optional data) or there is no result.
   */
  static String nullResultMessage(JavaTypes types, String owner, Type type) {
    String kind = type == null ? null
        : type instanceof Type.Builtin builtin ? builtin.idl() : nullKind(types, type);
    return kind == null ? null : owner + " returned null; XDR has no null " + kind
        + ", only optional data (T *) may be null";
  }

  /** What XDR calls a value of {@code type} that Java could hold as null; null if it may be. */
  private static String nullKind(JavaTypes types, Type type) {
    if (type instanceof Type.Builtin || type instanceof Type.Optional) {
      return null;
    }
    if (type instanceof Type.StringType) {
      return "string";
    }
    if (type instanceof Type.Opaque) {
      return "opaque";
    }
    if (type instanceof Type.Array) {
      return "array";
    }
    TypeDecl decl = types.decl(type);
    return decl instanceof TypeDecl.EnumType ? "enum"
        : decl instanceof TypeDecl.UnionType ? "union"
        : decl instanceof TypeDecl.StructType ? "struct" : "value";
  }

  private TypeSpec codec(ClassName name, List<Field> fields, List<String> names) {
    int self = selfReference(name, fields);
    if (self >= 0) {
      return new LinkedListCodec(types, name, fields, names, self, twice(fields.get(self))).codec();
    }
    Names.Allocator encodeLocals = CodecWriter.encodeLocals();
    CodecWriter encoder = new CodecWriter(types, encodeLocals);
    CodeBlock.Builder encode = CodeBlock.builder();
    for (int i = 0; i < fields.size(); i++) {
      encoder.encode(encode, fields.get(i).type(), CodeBlock.of("value.$L()", names.get(i)));
    }
    Names.Allocator decodeLocals = CodecWriter.decodeLocals();
    List<String> locals = new ArrayList<>();
    for (String field : names) {
      locals.add(decodeLocals.allocate(field));
    }
    CodecWriter decoder = new CodecWriter(types, decodeLocals);
    CodeBlock.Builder decode = CodeBlock.builder();
    for (int i = 0; i < fields.size(); i++) {
      CodeBlock read = decoder.decode(decode, fields.get(i).type());
      decode.addStatement("$T $L = $L", types.java(fields.get(i).type()), locals.get(i), read);
    }
    decode.addStatement("in.countObject($L)", fields.size());
    decode.addStatement("return new $T($L)", name, String.join(", ", locals));
    return CodecWriter.anonymousCodec(name, encode.build(), decode.build());
  }

  /** The index of the only field of type {@code name *} or {@code name **}, or -1. */
  private int selfReference(ClassName name, List<Field> fields) {
    int found = -1;
    for (int i = 0; i < fields.size(); i++) {
      Type element = fields.get(i).type() instanceof Type.Optional optional ? optional.element() : null;
      if (element instanceof Type.Optional inner) {
        element = inner.element();
      }
      if (element instanceof Type.Defined defined && name.equals(types.className(defined.name()))) {
        if (found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
  }

  /** True for a link of optional data of optional data ({@code S **}, Java's Optional). */
  private static boolean twice(Field link) {
    return ((Type.Optional) link.type()).element() instanceof Type.Optional;
  }
}
