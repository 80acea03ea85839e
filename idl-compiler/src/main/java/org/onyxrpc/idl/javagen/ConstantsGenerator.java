package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
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
      long value = constant.value();
      boolean fitsInt = value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
      type.addField(FieldSpec.builder(fitsInt ? TypeName.INT : TypeName.LONG,
              types.constantName(constant.name()),
              Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc(Docs.of(constant.doc() == null ? "{@code " + constant.name() + "}." : constant.doc()))
          .initializer(fitsInt ? "$L" : "$LL", value)
          .build());
    }
    return type.build();
  }
}
