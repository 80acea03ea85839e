package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.ARRAY_LIST;
import static org.onyxrpc.idl.javagen.RuntimeTypes.COLLECTIONS;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODECS;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_READER;
import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_WRITER;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Writes straight-line XDR reads and writes for one value of a type. Encoding reads from an
 * expression and writes to {@code out}; decoding reads from {@code in} into locals and yields an
 * expression. Locals come from the allocator of the enclosing method.
 */
final class CodecWriter {
  private final JavaTypes types;
  private final Names.Allocator locals;

  CodecWriter(JavaTypes types, Names.Allocator locals) {
    this.types = types;
    this.locals = locals;
  }

  /** A fresh allocator for an encode method, whose parameters are out and value. */
  static Names.Allocator encodeLocals() {
    return new Names.Allocator("out", "in", "value");
  }

  /**
   * A fresh allocator for a decode method, whose one parameter is in: a field named
   * {@code value} is read into {@code value}, not {@code value2}.
   */
  static Names.Allocator decodeLocals() {
    return new Names.Allocator("in");
  }

  void encode(CodeBlock.Builder code, Type type, CodeBlock value) {
    if (type instanceof Type.Builtin builtin) {
      code.addStatement("out.$L($L)", writer(builtin), value);
    } else if (type instanceof Type.StringType string) {
      code.addStatement("out.writeString($L, $L)", value, types.bound(string.max(), string.maxConstant()));
    } else if (type instanceof Type.Opaque opaque) {
      code.addStatement(opaque.fixed() ? "out.writeFixedOpaque($L, $L)" : "out.writeOpaque($L, $L)",
          value, types.bound(opaque.size(), opaque.sizeConstant()));
    } else if (type instanceof Type.Optional optional) {
      // Read once: an accessor's value goes into a local, a local (a loop's item) is used as is.
      String local = value.toString();
      if (!SourceVersion.isIdentifier(local)) {
        local = locals.allocate("present");
        code.addStatement("$T $L = $L", types.java(optional), local, value);
      }
      code.addStatement("out.writeOptionalFlag($L != null)", local);
      code.beginControlFlow("if ($L != null)", local);
      encode(code, optional.element(), optional.element() instanceof Type.Optional
          ? CodeBlock.of("$L.orElse(null)", local) : CodeBlock.of("$L", local));
      code.endControlFlow();
    } else if (type instanceof Type.Array array) {
      encodeArray(code, array, value);
    } else if (types.decl(type) instanceof TypeDecl.EnumType) {
      code.addStatement("out.writeEnum($L.value())", value);
    } else {
      code.addStatement("$T.CODEC.encode(out, $L)", types.java(type), value);
    }
  }

  private void encodeArray(CodeBlock.Builder code, Type.Array array, CodeBlock value) {
    boolean primitive = array.element() instanceof Type.Builtin;
    String local = locals.allocate("items");
    String item = locals.allocate("item");
    code.addStatement("$T $L = $L", types.java(array), local, value);
    String length = primitive ? local + ".length" : local + ".size()";
    CodeBlock size = types.bound(array.size(), array.sizeConstant());
    code.addStatement(array.fixed() ? "out.checkFixedArray($L, $L)" : "out.writeArrayLength($L, $L)",
        length, size);
    code.beginControlFlow("for ($T $L : $L)", types.java(array.element()), item, local);
    encode(code, array.element(), CodeBlock.of("$L", item));
    code.endControlFlow();
  }

  CodeBlock decode(CodeBlock.Builder code, Type type) {
    if (type instanceof Type.Builtin builtin) {
      return CodeBlock.of("in.$L()", reader(builtin));
    }
    if (type instanceof Type.StringType string) {
      return CodeBlock.of("in.readString($L)", types.bound(string.max(), string.maxConstant()));
    }
    if (type instanceof Type.Opaque opaque) {
      return CodeBlock.of(opaque.fixed() ? "in.readFixedOpaque($L)" : "in.readOpaque($L)",
          types.bound(opaque.size(), opaque.sizeConstant()));
    }
    if (type instanceof Type.Optional optional) {
      if (hasCodec(optional.element())) {
        // Through the reader, which counts nested optional data against its depth limit.
        return CodeBlock.of("in.readOptional($T.CODEC)", types.java(optional.element()));
      }
      String local = locals.allocate("present");
      code.addStatement("$T $L = null", types.java(optional), local);
      code.beginControlFlow("if (in.readOptionalFlag())");
      CodeBlock.Builder inner = CodeBlock.builder();
      CodeBlock element = decode(inner, optional.element());
      code.add(inner.build());
      if (optional.element() instanceof Type.Optional) {
        code.addStatement("$L = $T.ofNullable($L)", local, RuntimeTypes.OPTIONAL, element);
      } else {
        code.addStatement("$L = $L", local, element);
      }
      code.endControlFlow();
      return CodeBlock.of("$L", local);
    }
    if (type instanceof Type.Array array) {
      return decodeArray(code, array);
    }
    if (types.holdsItself(type)) {
      // Through the reader, which counts how deep a type that holds itself is nested.
      return CodeBlock.of("in.readNested($T.CODEC)", types.java(type));
    }
    return CodeBlock.of("$T.CODEC.decode(in)", types.java(type));
  }

  /** True for the types read with their own {@code CODEC}: structs, unions and their typedefs. */
  private boolean hasCodec(Type type) {
    return !(type instanceof Type.Builtin || type instanceof Type.StringType
        || type instanceof Type.Opaque || type instanceof Type.Optional
        || type instanceof Type.Array || types.decl(type) instanceof TypeDecl.EnumType);
  }

  private CodeBlock decodeArray(CodeBlock.Builder code, Type.Array array) {
    boolean primitive = array.element() instanceof Type.Builtin;
    int minBytes = types.minBytes(array.element());
    String count = locals.allocate("count");
    CodeBlock size = types.bound(array.size(), array.sizeConstant());
    if (array.fixed()) {
      code.addStatement("in.checkFixedArray($L, $L)", size, minBytes);
      code.addStatement("int $L = $L", count, size);
    } else {
      code.addStatement("int $L = in.readArrayLength($L, $L)", count, size, minBytes);
    }
    String local = locals.allocate("items");
    String index = locals.allocate("i");
    if (primitive) {
      code.addStatement("$T $L = new $T[$L]", types.java(array), local, types.java(array.element()),
          count);
    } else {
      code.addStatement("$T $L = new $T<>($L)", types.java(array), local, ARRAY_LIST, count);
    }
    code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, count, index);
    CodeBlock element = decode(code, array.element());
    if (primitive) {
      code.addStatement("$L[$L] = $L", local, index, element);
    } else {
      code.addStatement("$L.add($L)", local, element);
    }
    code.endControlFlow();
    return primitive ? CodeBlock.of("$L", local)
        : CodeBlock.of("$T.unmodifiableList($L)", COLLECTIONS, local);
  }

  /** A codec value for {@code type}: a runtime constant, a generated CODEC or an inline class. */
  static CodeBlock codecFor(JavaTypes types, Type type) {
    if (type instanceof Type.Builtin builtin) {
      return CodeBlock.of("$T.$L", XDR_CODECS, builtin.name());
    }
    if (type instanceof Type.StringType string) {
      return string.max() == Type.UNBOUNDED ? CodeBlock.of("$T.STRING", XDR_CODECS)
          : CodeBlock.of("$T.string($L)", XDR_CODECS, types.bound(string.max(), string.maxConstant()));
    }
    if (type instanceof Type.Opaque opaque) {
      if (opaque.fixed()) {
        return CodeBlock.of("$T.fixedOpaque($L)", XDR_CODECS,
            types.bound(opaque.size(), opaque.sizeConstant()));
      }
      return opaque.size() == Type.UNBOUNDED ? CodeBlock.of("$T.OPAQUE", XDR_CODECS)
          : CodeBlock.of("$T.opaque($L)", XDR_CODECS, types.bound(opaque.size(), opaque.sizeConstant()));
    }
    if (type instanceof Type.Defined) {
      return CodeBlock.of("$T.CODEC", types.java(type));
    }
    if (type instanceof Type.Optional optional && optional.element() instanceof Type.Defined) {
      return CodeBlock.of("$T.optional($L)", XDR_CODECS, codecFor(types, optional.element()));
    }
    Names.Allocator encodeLocals = encodeLocals();
    CodeBlock.Builder encode = CodeBlock.builder();
    new CodecWriter(types, encodeLocals).encode(encode, type, CodeBlock.of("value"));
    CodeBlock.Builder decode = CodeBlock.builder();
    CodeBlock result = new CodecWriter(types, decodeLocals()).decode(decode, type);
    decode.addStatement("return $L", result);
    return CodeBlock.of("$L", anonymousCodec(types.boxed(type), encode.build(), decode.build()));
  }

  /** {@code new XdrCodec<T>() { encode {...} decode {...} }}. */
  static TypeSpec anonymousCodec(TypeName javaType, CodeBlock encode, CodeBlock decode) {
    return TypeSpec.anonymousClassBuilder("")
        .addSuperinterface(ParameterizedTypeName.get(XDR_CODEC, javaType))
        .addMethod(MethodSpec.methodBuilder("encode")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(XDR_WRITER, "out")
            .addParameter(javaType, "value")
            .addCode(encode)
            .build())
        .addMethod(MethodSpec.methodBuilder("decode")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(javaType)
            .addParameter(XDR_READER, "in")
            .addCode(decode)
            .build())
        .build();
  }

  private static String writer(Type.Builtin builtin) {
    return switch (builtin) {
      case INT -> "writeInt";
      case UNSIGNED_INT -> "writeUnsignedInt";
      case HYPER -> "writeHyper";
      case UNSIGNED_HYPER -> "writeUnsignedHyper";
      case FLOAT -> "writeFloat";
      case DOUBLE -> "writeDouble";
      case BOOL -> "writeBool";
      case CHAR -> "writeChar";
      case INT8 -> "writeInt8";
      case UNSIGNED_CHAR -> "writeUnsignedChar";
      case SHORT -> "writeShort";
      case UNSIGNED_SHORT -> "writeUnsignedShort";
    };
  }

  private static String reader(Type.Builtin builtin) {
    return switch (builtin) {
      case INT -> "readInt";
      case UNSIGNED_INT -> "readUnsignedInt";
      case HYPER -> "readHyper";
      case UNSIGNED_HYPER -> "readUnsignedHyper";
      case FLOAT -> "readFloat";
      case DOUBLE -> "readDouble";
      case BOOL -> "readBool";
      case CHAR -> "readChar";
      case INT8 -> "readInt8";
      case UNSIGNED_CHAR -> "readUnsignedChar";
      case SHORT -> "readShort";
      case UNSIGNED_SHORT -> "readUnsignedShort";
    };
  }
}
