package org.onyxrpc.idl.javagen;

import static org.onyxrpc.idl.javagen.RuntimeTypes.XDR_CODEC;

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
 * An IDL union becomes a sealed interface with one record per arm. Every arm answers the
 * discriminant accessor; an arm with one label implies it, an arm with several labels or the
 * default arm stores it (and checks that it selects that arm).
 */
final class UnionGenerator {
  private final JavaTypes types;

  UnionGenerator(JavaTypes types) {
    this.types = types;
  }

  /** One arm as Java sees it. */
  private record ArmSpec(TypeDecl.Arm arm, ClassName type, boolean storesDiscriminant, String field) {}

  TypeSpec generate(TypeDecl.UnionType decl) {
    ClassName name = types.className(decl.name());
    Field disc = decl.discriminant();
    String discName = Names.camel(disc.name());
    TypeName discType = types.java(disc.type());
    List<ArmSpec> arms = arms(decl, name, discName);

    TypeSpec.Builder union = types.qualified(TypeSpec.interfaceBuilder(name), name)
        .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
        .addJavadoc(Docs.of(decl.doc() == null ? "The XDR union {@code " + decl.name() + "}." : decl.doc()))
        .addMethod(MethodSpec.methodBuilder(discName)
            .addJavadoc("The discriminant, which selects the arm.\n\n@return the discriminant\n")
            .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
            .returns(discType)
            .build());
    for (ArmSpec arm : arms) {
      union.addPermittedSubclass(arm.type());
      union.addType(armRecord(decl, arm, discName, discType));
    }
    union.addField(FieldSpec.builder(ParameterizedTypeName.get(XDR_CODEC, name), "CODEC",
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Writes the discriminant, then the selected arm (RFC 4506 §4.15).\n")
        .initializer("$L", codec(decl, name, arms, discName, discType))
        .build());
    return union.build();
  }

  private List<ArmSpec> arms(TypeDecl.UnionType decl, ClassName name, String discName) {
    Names.Allocator armNames = new Names.Allocator(name.simpleName(), "CODEC");
    java.util.Set<String> reserved = types.reservedNestedNames(name);
    List<ArmSpec> result = new ArrayList<>();
    List<TypeDecl.Arm> all = new ArrayList<>(decl.arms());
    if (decl.defaultArm() != null) {
      all.add(decl.defaultArm());
    }
    for (TypeDecl.Arm arm : all) {
      String wanted;
      if (arm.field() != null) {
        wanted = Names.pascal(arm.field().name());
      } else if (arm.labels().isEmpty()) {
        wanted = "Default";
      } else if (arm.labels().get(0).name() != null) {
        wanted = Names.pascal(arm.labels().get(0).name());
      } else {
        long value = arm.labels().get(0).value();
        wanted = value < 0 ? "CaseMinus" + -value : "Case" + value;
      }
      if (reserved.contains(wanted)) {
        wanted += "Arm";  // "case 1: cred_v1 cred_v1;" must not hide the type cred_v1
      }
      String field = null;
      if (arm.field() != null) {
        field = new Names.Allocator(discName, "CODEC").allocate(Names.camel(arm.field().name()));
      }
      result.add(new ArmSpec(arm, name.nestedClass(armNames.allocate(wanted)),
          arm.labels().size() != 1, field));
    }
    return result;
  }

  private TypeSpec armRecord(TypeDecl.UnionType decl, ArmSpec arm, String discName, TypeName discType) {
    MethodSpec components = armConstructor(decl, arm, discName, discType);
    String doc = arm.arm().field() != null && arm.arm().field().doc() != null
        ? arm.arm().field().doc()
        : arm.arm().labels().isEmpty() ? "The default arm."
        : "The arm for " + labels(decl, arm.arm()) + ".";
    TypeSpec.Builder record = TypeSpec.recordBuilder(arm.type())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addSuperinterface(arm.type().enclosingClassName())
        .addJavadoc("$L\n", doc)
        .recordConstructor(components);
    if (arm.storesDiscriminant()) {
      record.addJavadoc("\n@param $L the discriminant\n", discName);
    }
    if (arm.field() != null) {
      record.addJavadoc(arm.storesDiscriminant() ? "@param $L $L\n" : "\n@param $L $L\n",
          arm.field(), Docs.field(arm.arm().field()));
    }
    List<TypeName> componentTypes = new ArrayList<>();
    List<String> componentNames = new ArrayList<>();
    if (arm.storesDiscriminant()) {
      componentTypes.add(discType);
      componentNames.add(discName);
    }
    if (arm.field() != null) {
      componentTypes.add(types.java(arm.arm().field().type()));
      componentNames.add(arm.field());
    }
    ArrayMembers.addIfNeeded(record, arm.type(), componentTypes, componentNames);
    if (!arm.storesDiscriminant()) {
      record.addMethod(MethodSpec.methodBuilder(discName)
          .addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC)
          .returns(discType)
          .addStatement("return $L", label(decl, arm.arm().labels().get(0).value()))
          .build());
    }
    return record.build();
  }

  /**
   * An arm record's compact constructor: null checks of its components and, for an arm that
   * stores the discriminant, a check that the discriminant selects it.
   */
  private MethodSpec armConstructor(TypeDecl.UnionType decl, ArmSpec arm, String discName,
      TypeName discType) {
    MethodSpec.Builder components = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
    String owner = String.join(".", arm.type().simpleNames());
    List<String> checked = new ArrayList<>();
    if (arm.storesDiscriminant()) {
      components.addParameter(discType, discName);
      if (StructGenerator.requireNonNull(components, types, owner, decl.discriminant().type(), discName)) {
        checked.add(discName);
      }
    }
    if (arm.field() != null
        && StructGenerator.requireNonNull(components, types, owner, arm.arm().field().type(), arm.field())) {
      checked.add(arm.field());
    }
    if (arm.storesDiscriminant()) {
      CodeBlock invalid = invalidDiscriminant(decl, arm, discName);
      components.addJavadoc(invalid == null ? "Creates the arm.\n\n"
          : "Creates the arm, checking that {@code " + discName + "} selects it.\n\n");
      components.addJavadoc("@param $L the discriminant\n", discName);
      if (arm.field() != null) {
        Field field = arm.arm().field();
        components.addJavadoc("@param $L $L\n", arm.field(), Docs.field(field));
      }
      if (invalid != null) {
        components.addJavadoc("@throws IllegalArgumentException if {@code $L} selects another arm\n",
            discName);
      }
      if (!checked.isEmpty()) {
        components.addJavadoc("@throws NullPointerException if $L null\n", nullable(checked));
      }
      selectionCheck(components, decl, arm, discName, invalid);
    }
    if (arm.field() != null) {
      components.addParameter(types.java(arm.arm().field().type()), arm.field());
      if (!arm.storesDiscriminant() && !checked.isEmpty()) {
        components.addJavadoc("Creates the arm.\n\n@param $L $L\n@throws NullPointerException if $L null\n",
            arm.field(), Docs.field(arm.arm().field()), nullable(checked));
      }
    }
    return components.build();
  }

  /**
   * The constructor's refusal of a discriminant that selects another arm: {@code invalid}, the
   * condition of one, or for the default arm a switch over every other arm's labels.
   */
  private void selectionCheck(MethodSpec.Builder components, TypeDecl.UnionType decl, ArmSpec arm,
      String discName, CodeBlock invalid) {
    CodeBlock refusal = CodeBlock.of("throw new $T($S + $L + $S)", IllegalArgumentException.class,
        discName + " ", discName, " does not select arm " + arm.type().simpleName());
    List<TypeDecl.Label> refused = arm.arm().labels().isEmpty()
        ? decl.arms().stream().flatMap(other -> other.labels().stream()).toList() : List.of();
    if (refused.size() > 1 && switchable(decl)) {
      // The default arm refuses every label of the union: a switch, not a chain of ||, which
      // javac compiles recursively and overflows its stack on for a union of ~1,000 arms.
      components.beginControlFlow("switch ($L)", discName)
          .addStatement("case $L ->$W$L", caseLabels(decl, refused), refusal)
          .endControlFlow();
    } else if (invalid != null) {
      components.beginControlFlow("if ($L)", invalid)
          .addStatement(refusal)
          .endControlFlow();
    }
  }

  /** Who may not be null, for a constructor's @throws (a list of every name runs long). */
  static String nullable(List<String> checked) {
    return checked.size() == 1 ? "{@code " + checked.get(0) + "} is"
        : "a component other than a primitive or optional data is";
  }

  private String labels(TypeDecl.UnionType decl, TypeDecl.Arm arm) {
    List<String> labels = new ArrayList<>();
    for (TypeDecl.Label label : arm.labels()) {
      labels.add("{@code " + (label.name() != null ? label.name() : label.value()) + "}");
    }
    return String.join(", ", labels);
  }

  /** A condition that is true when the stored discriminant would select another arm. */
  private CodeBlock invalidDiscriminant(TypeDecl.UnionType decl, ArmSpec arm, String discName) {
    List<TypeDecl.Label> labels = new ArrayList<>();
    if (arm.arm().labels().isEmpty()) {
      decl.arms().forEach(other -> labels.addAll(other.labels()));
    } else {
      labels.addAll(arm.arm().labels());
    }
    if (labels.isEmpty()) {
      return null;
    }
    boolean labelled = !arm.arm().labels().isEmpty();
    if (labels.size() == 1 && decl.discriminant().type() == Type.Builtin.BOOL) {
      // A boolean is tested as itself, okay or !okay, not okay == true or !(okay == true).
      long value = labels.get(0).value() != 0 ? 1 : 0;
      return isLabel(decl, discName, labelled ? 1 - value : value);
    }
    CodeBlock.Builder any = CodeBlock.builder();
    for (int i = 0; i < labels.size(); i++) {
      any.add(i == 0 ? "$L" : " || $L", isLabel(decl, discName, labels.get(i).value()));
    }
    return labelled ? CodeBlock.of("!($L)", any.build()) : any.build();
  }

  /** Whether {@code disc} is the label {@code value}: a boolean is itself or its negation. */
  private CodeBlock isLabel(TypeDecl.UnionType decl, String disc, long value) {
    if (decl.discriminant().type() == Type.Builtin.BOOL) {
      return value != 0 ? CodeBlock.of("$L", disc) : CodeBlock.of("!$L", disc);
    }
    return CodeBlock.of("$L == $L", disc, label(decl, value));
  }

  /** Whether Java switches on the discriminant's type: not on a long, nor on a boolean. */
  private boolean switchable(TypeDecl.UnionType decl) {
    Type type = decl.discriminant().type();
    return !wide(type) && type != Type.Builtin.BOOL;
  }

  /** {@code labels} as the labels of one case of a switch on a {@link #switchable} discriminant. */
  private CodeBlock caseLabels(TypeDecl.UnionType decl, List<TypeDecl.Label> labels) {
    Type type = decl.discriminant().type();
    CodeBlock.Builder list = CodeBlock.builder();
    for (TypeDecl.Label label : labels) {
      list.add(list.isEmpty() ? "$L" : ",$W$L", types.decl(type) instanceof TypeDecl.EnumType e
          ? EnumGenerator.constantName(e, label.value()) : (int) label.value());
    }
    return list.build();
  }

  /** A label value as a Java expression of the discriminant's type. */
  CodeBlock label(TypeDecl.UnionType decl, long value) {
    Type type = decl.discriminant().type();
    if (type == Type.Builtin.BOOL) {
      return CodeBlock.of("$L", value != 0);
    }
    if (types.decl(type) instanceof TypeDecl.EnumType enumType) {
      return CodeBlock.of("$T.$L", types.java(type), EnumGenerator.constantName(enumType, value));
    }
    return wide(type) ? CodeBlock.of("$LL", value) : CodeBlock.of("$L", (int) value);
  }

  /** A hyper discriminant, on which Java cannot switch. */
  private static boolean wide(Type type) {
    return type == Type.Builtin.HYPER || type == Type.Builtin.UNSIGNED_HYPER;
  }

  private TypeSpec codec(TypeDecl.UnionType decl, ClassName name, List<ArmSpec> arms,
      String discName, TypeName discType) {
    CodeBlock encode = encode(decl, arms, discName);
    Type type = decl.discriminant().type();
    Names.Allocator decodeLocals = CodecWriter.decodeLocals();
    CodecWriter reader = new CodecWriter(types, decodeLocals);
    CodeBlock.Builder decode = CodeBlock.builder();
    String disc = decodeLocals.allocate(discName);
    decode.addStatement("$T $L = $L", discType, disc, reader.decode(decode, type));
    if (wide(type)) {
      decodeByComparison(decl, arms, decode, reader, decodeLocals, disc);
    } else {
      decodeBySwitch(decl, arms, decode, reader, decodeLocals, disc);
    }
    return CodecWriter.anonymousCodec(name, encode, decode.build());
  }

  /** The discriminant, then the value of the arm that has one. */
  private CodeBlock encode(TypeDecl.UnionType decl, List<ArmSpec> arms, String discName) {
    Names.Allocator encodeLocals = CodecWriter.encodeLocals();
    CodecWriter writer = new CodecWriter(types, encodeLocals);
    CodeBlock.Builder encode = CodeBlock.builder();
    writer.encode(encode, decl.discriminant().type(), CodeBlock.of("value.$L()", discName));
    String armLocal = encodeLocals.allocate("arm");
    List<ArmSpec> withField = arms.stream().filter(arm -> arm.field() != null).toList();
    // One if per arm, each returning, not an else-if chain: javac parses a chain recursively
    // and overflows its stack on one of about a thousand arms.
    for (int i = 0; i < withField.size(); i++) {
      ArmSpec arm = withField.get(i);
      encode.beginControlFlow("if (value instanceof $T $L)", arm.type(), armLocal);
      writer.encode(encode, arm.arm().field().type(), CodeBlock.of("$L.$L()", armLocal, arm.field()));
      if (i + 1 < withField.size()) {
        encode.addStatement("return");
      }
      encode.endControlFlow();
    }
    return encode.build();
  }

  /** The decoding of a union on an int, enum or bool discriminant: a switch with a case per label. */
  private void decodeBySwitch(TypeDecl.UnionType decl, List<ArmSpec> arms,
      CodeBlock.Builder decode, CodecWriter reader, Names.Allocator locals, String disc) {
    Type type = decl.discriminant().type();
    boolean isEnum = types.decl(type) instanceof TypeDecl.EnumType;
    decode.beginControlFlow("switch ($L)", type == Type.Builtin.BOOL ? disc + " ? 1 : 0" : disc);
    ArmSpec defaultArm = null;
    for (ArmSpec arm : arms) {
      if (arm.arm().labels().isEmpty()) {
        defaultArm = arm;
        continue;
      }
      List<TypeDecl.Label> labels = arm.arm().labels();
      for (int i = 0; i < labels.size(); i++) {
        long value = labels.get(i).value();
        CodeBlock caseLabel = isEnum
            ? CodeBlock.of("$L", EnumGenerator.constantName((TypeDecl.EnumType) types.decl(type), value))
            : CodeBlock.of("$L", type == Type.Builtin.BOOL ? (value != 0 ? 1 : 0) : (int) value);
        decode.add(i + 1 < labels.size() ? "case $L:\n" : "case $L: ", caseLabel);
      }
      armDecode(decode, reader, locals, arm, disc);
    }
    if (defaultArm != null) {
      decode.add("default: ");
      armDecode(decode, reader, locals, defaultArm, disc);
    } else {
      decode.add("default:\n");
      decode.indent()
          .addStatement("throw in.malformed($S + $L)", "no arm of " + decl.name() + " for ", disc)
          .unindent();
    }
    decode.endControlFlow();
  }

  /** The decoding of a union on a hyper: an {@code if} per arm, as Java has no switch on long. */
  private void decodeByComparison(TypeDecl.UnionType decl, List<ArmSpec> arms,
      CodeBlock.Builder decode, CodecWriter reader, Names.Allocator locals, String disc) {
    ArmSpec defaultArm = null;
    for (ArmSpec arm : arms) {
      if (arm.arm().labels().isEmpty()) {
        defaultArm = arm;
        continue;
      }
      CodeBlock.Builder any = CodeBlock.builder();
      for (TypeDecl.Label label : arm.arm().labels()) {
        any.add(any.isEmpty() ? "$L" : " || $L", isLabel(decl, disc, label.value()));
      }
      // Each if returns: no else-if chain, which javac would parse recursively (see codec).
      decode.beginControlFlow("if ($L)", any.build());
      armStatements(decode, reader, locals, arm, disc);
      decode.endControlFlow();
    }
    if (defaultArm != null) {
      armStatements(decode, reader, locals, defaultArm, disc);
    } else {
      decode.addStatement("throw in.malformed($S + $L)", "no arm of " + decl.name() + " for ", disc);
    }
  }

  private void armDecode(CodeBlock.Builder decode, CodecWriter reader, Names.Allocator locals,
      ArmSpec arm, String disc) {
    decode.add("{\n").indent();
    armStatements(decode, reader, locals, arm, disc);
    decode.unindent().add("}\n");
  }

  /** Reads the arm's field, if it has one, and returns the arm's record. */
  private void armStatements(CodeBlock.Builder decode, CodecWriter reader, Names.Allocator locals,
      ArmSpec arm, String disc) {
    List<String> arguments = new ArrayList<>();
    if (arm.storesDiscriminant()) {
      arguments.add(disc);
    }
    if (arm.field() != null) {
      String local = locals.allocate(arm.field());
      CodeBlock read = reader.decode(decode, arm.arm().field().type());
      decode.addStatement("$T $L = $L", types.java(arm.arm().field().type()), local, read);
      arguments.add(local);
    }
    decode.addStatement("in.countObject($L)", arguments.size());
    decode.addStatement("return new $T($L)", arm.type(), String.join(", ", arguments));
  }
}
