package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.math.BigInteger;
import javax.lang.model.element.Modifier;
import org.onyxrpc.idl.schema.Constant;
import org.onyxrpc.idl.schema.SchemaFile;

/** The constants of one file, as {@code int} (or {@code long} when they need 64 bits). */
final class ConstantsGenerator {
  private final JavaTypes types;

  ConstantsGenerator(JavaTypes types) {
    this.types = types;
  }

  TypeSpec generate(SchemaFile file) {
    TypeSpec.Builder type = types.qualified(TypeSpec.classBuilder(types.constantsClass(file)), types.constantsClass(file))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Constants declared in {@code $L}.\n", file.file().replaceAll(".*/", ""))
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (Constant constant : file.constants()) {
      String doc = constant.doc() == null ? "{@code " + constant.name() + "}." : constant.doc();
      FieldSpec.Builder field;
      if (constant.isText()) {
        field = FieldSpec.builder(String.class, types.constantName(constant.name()))
            .initializer("$S", constant.text());
      } else {
        BigInteger value = constant.value();
        boolean fitsInt = value.bitLength() <= 31;
        field = FieldSpec.builder(fitsInt ? TypeName.INT : TypeName.LONG, types.constantName(constant.name()));
        if (fitsInt) {
          field.initializer("$L", value);
        } else if (value.bitLength() <= 63) {
          field.initializer("$LL", value);
        } else {
          // 2^63 .. 2^64-1: the same 64 bits in a long, written in hex so the value stays readable.
          field.initializer("0x$LL", value.toString(16));
          doc = doc + "\n\n<p>Unsigned: " + value + "; use {@link Long#toUnsignedString(long)}.";
        }
      }
      type.addField(field.addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc(Docs.of(doc))
          .build());
    }
    return type.build();
  }
}
