package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.schema.Annotation;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/** Links enums, structs, exceptions and unions, checking names, values and case labels. */
final class DataTypeLinker {
  private final Scope scope;
  private final ConstantEvaluator constants;
  private final TypeResolver types;
  private final Diagnostics diagnostics;

  DataTypeLinker(Scope scope, ConstantEvaluator constants, TypeResolver types,
      Diagnostics diagnostics) {
    this.scope = scope;
    this.constants = constants;
    this.types = types;
    this.diagnostics = diagnostics;
  }

  static String context(DeclElement decl) {
    return "in " + decl.kind() + " " + decl.name() + " (" + decl.location() + ")";
  }

  /** Links an anonymous type once the resolver has named it. */
  TypeDecl inline(DeclElement named, String file) {
    if (named instanceof DeclElement.EnumDecl e) {
      return enumType(e, file);
    }
    if (named instanceof DeclElement.StructDecl s) {
      return structType(s, file);
    }
    return unionType((DeclElement.UnionDecl) named, file);
  }

  TypeDecl.EnumType enumType(DeclElement.EnumDecl decl, String file) {
    Map<String, Long> values = constants.enumValues(decl, file);
    Map<Long, String> seen = new HashMap<>();
    Set<String> names = new HashSet<>();
    List<TypeDecl.EnumConstant> result = new ArrayList<>();
    for (Elements.EnumValue value : decl.values()) {
      Long number = values.get(value.name());
      if (number == null || !names.add(value.name())) { // a name given again: Scope reported it
        continue;
      }
      if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
        diagnostics.error(value.location(),
            "enum value " + number + " does not fit in a 32-bit int", context(decl));
        continue;
      }
      String previous = seen.putIfAbsent(number, value.name());
      if (previous != null) {
        // RFC 4506 asks only for unique names; decoding the value gives the first name.
        diagnostics.warning(value.location(), "'" + value.name() + "' has the same value " + number
            + " as '" + previous + "' in enum " + decl.name() + "; decoding " + number
            + " gives " + previous);
      }
      result.add(new TypeDecl.EnumConstant(value.name(), number.intValue(), value.doc()));
    }
    return new TypeDecl.EnumType(decl.name(), decl.doc(), decl.location(), result);
  }

  TypeDecl.StructType structType(DeclElement.StructDecl decl, String file) {
    List<Field> fields = new ArrayList<>();
    Map<String, Location> names = new HashMap<>();
    for (Elements.Field field : decl.fields()) {
      unique(names, field, decl);
      Field linked = field(field, file, decl);
      if (linked != null) {
        fields.add(linked);
      }
    }
    return new TypeDecl.StructType(decl.name(), decl.doc(), decl.location(), fields, decl.exception());
  }

  TypeDecl.UnionType unionType(DeclElement.UnionDecl decl, String file) {
    // An arm may have the discriminant's name, as RFC 5531's rejected_reply has ('auth_stat stat'):
    // rpcgen's C keeps the arms in a union member of their own, and Java numbers the arm's field.
    Map<String, Location> names = new HashMap<>();
    Field discriminant = intUnlessEnumHoldsLabels(field(decl.discriminant(), file, decl), decl, file);
    LabelCheck labels = discriminant == null ? null : labelCheck(discriminant, decl, file);
    List<TypeDecl.Arm> arms = new ArrayList<>();
    Map<Long, Map.Entry<Long, Location>> seen = new HashMap<>();
    for (Elements.Case unionCase : decl.cases()) {
      List<TypeDecl.Label> armLabels = new ArrayList<>();
      for (ExprElement label : unionCase.labels()) {
        Long value = labelValue(label, file, decl, discriminant);
        if (value == null || labels == null || !labels.fits(label.location(), value)) {
          continue;
        }
        String name = label instanceof ExprElement.Reference ref ? ref.name() : null;
        // A char holds 8 bits, signed or not as the platform has it: -1 and 255 are one C value.
        long key = discriminant.type() == Type.Builtin.CHAR ? (byte) value.longValue() : value;
        Map.Entry<Long, Location> previous = seen.putIfAbsent(key, Map.entry(value, label.location()));
        if (previous != null && previous.getKey().longValue() != value) {
          diagnostics.error(label.location(), "case label " + value + " and case label "
              + previous.getKey() + " (at " + previous.getValue() + ") are the same char: C's"
              + " char holds 8 bits", context(decl));
          continue;
        }
        if (previous != null) {
          diagnostics.error(label.location(), "duplicate case label " + (name == null ? ""
              : name + " = ") + value + " (also at " + previous.getValue() + ")", context(decl));
          continue;
        }
        armLabels.add(new TypeDecl.Label(value, name));
      }
      arms.add(new TypeDecl.Arm(armLabels, arm(unionCase.arm(), file, decl, names)));
    }
    TypeDecl.Arm defaultArm = decl.defaultArm() == null
        ? null
        : new TypeDecl.Arm(List.of(), arm(decl.defaultArm(), file, decl, names));
    return new TypeDecl.UnionType(decl.name(), decl.doc(), decl.location(), discriminant, arms,
        defaultArm);
  }

  /** A case label's value as C's switch in rpcgen's code matches it; null if it has none. */
  private Long labelValue(ExprElement label, String file, DeclElement.UnionDecl decl, Field discriminant) {
    java.math.BigInteger exact = constants.exact(label, file, context(decl));
    if (exact == null) {
      return null;
    }
    if (exact.bitLength() > 63) {
      diagnostics.error(label.location(), "case label " + exact
          + " does not fit the discriminant", context(decl));
      return null;
    }
    long value = exact.longValue();
    if (discriminant != null && discriminant.type() == Type.Builtin.INT
        && value > Integer.MAX_VALUE && value <= 0xffffffffL) {
      // C's switch converts the label to int, so rpcgen's C takes 0x80000000 on an int and
      // matches the int of those 32 bits, as for an enum value beyond an int (ConstantEvaluator).
      int bits = (int) value;
      diagnostics.warning(label.location(), "case label " + value + " is beyond an int"
          + " discriminant: it matches the int of its 32 bits, " + bits + ", as C's switch in"
          + " rpcgen's code converts it (write " + bits + " to say so)", context(decl));
      return (long) bits;
    }
    return value;
  }

  private Field arm(Elements.Field arm, String file, DeclElement decl, Map<String, Location> names) {
    if (arm.type() == null) {
      return null;
    }
    unique(names, arm, decl);
    return field(arm, file, decl);
  }

  private void unique(Map<String, Location> names, Elements.Field field, DeclElement decl) {
    Location previous = names.putIfAbsent(field.name(), field.location());
    if (previous != null) {
      diagnostics.error(field.location(), "duplicate field '" + field.name() + "' in "
          + decl.kind() + " " + decl.name() + " (first at " + previous + ")");
    }
  }

  /** No annotation has a meaning on data types and their fields yet; say so rather than ignore it. */
  void warnUnknownAnnotations(List<Elements.Annotation> annotations) {
    for (Elements.Annotation annotation : annotations) {
      diagnostics.warning(annotation.location(), "unknown annotation '@" + annotation.name()
          + "' is kept but has no effect here");
    }
  }

  private Field field(Elements.Field field, String file, DeclElement decl) {
    warnUnknownAnnotations(field.annotations());
    Type type = types.resolve(field.type(), file, decl.name() + "_" + field.name(), context(decl));
    if (type == null) {
      return null;
    }
    return new Field(field.name(), type, field.doc(), annotations(field.annotations(), file),
        field.location(), TypeResolver.written(field.type(), type));
  }

  List<Annotation> annotations(List<Elements.Annotation> annotations, String file) {
    List<Annotation> result = new ArrayList<>();
    for (Elements.Annotation annotation : annotations) {
      Long value = annotation.value() == null ? null : constants.evaluate(annotation.value(), file);
      result.add(new Annotation(annotation.name(), value, annotation.text()));
    }
    return List.copyOf(result);
  }

  /**
   * {@code discriminant}, or an int one when it is an enum that lacks a value a case label has:
   * SFS's {@code nfs3exp_prot.x} switches on {@code nfsstat3} with {@code case -1:}, which C's
   * switch takes, and the wire holds the same int either way. A warning says so.
   */
  private Field intUnlessEnumHoldsLabels(Field discriminant, DeclElement.UnionDecl decl, String file) {
    DeclElement.EnumDecl enumDecl = discriminant == null ? null : enumOf(discriminant);
    if (enumDecl == null) {
      return discriminant;
    }
    String enumFile = scope.fileOf(enumDecl.name()) != null ? scope.fileOf(enumDecl.name()) : file;
    Map<String, Long> values = constants.enumValues(enumDecl, enumFile);
    for (Elements.Case unionCase : decl.cases()) {
      for (ExprElement label : unionCase.labels()) {
        java.math.BigInteger exact = constants.exact(label, file, context(decl));
        if (exact != null && exact.bitLength() < 32 && !values.containsValue(exact.longValue())) {
          diagnostics.warning(label.location(), "case label " + exact + " is not a value of enum "
              + enumDecl.name() + ": " + decl.name() + " switches on an int instead, as its C does",
              context(decl));
          return new Field(discriminant.name(), Type.Builtin.INT, discriminant.doc(),
              discriminant.annotations(), discriminant.location());
        }
      }
    }
    return discriminant;
  }

  private DeclElement.EnumDecl enumOf(Field discriminant) {
    if (!(discriminant.type() instanceof Type.Defined defined)) {
      return null;
    }
    DeclElement declared = types.inlineDecl(defined.name()) != null ? types.inlineDecl(defined.name())
        : scope.type(defined.name(), scope.fileOf(defined.name()), discriminant.location());
    return declared instanceof DeclElement.EnumDecl enumDecl ? enumDecl : null;
  }

  /** Which label values a discriminant type admits. */
  private interface LabelCheck {
    boolean fits(Location at, long value);
  }

  private LabelCheck labelCheck(Field discriminant, DeclElement.UnionDecl decl, String file) {
    Type type = discriminant.type();
    String context = context(decl);
    if (type instanceof Type.Builtin builtin) {
      // As written, then what it is: 'uint8_t (unsigned char)'.
      String written = decl.discriminant().type() instanceof TypeElement.Named named
          && !named.name().equals(builtin.idl()) ? named.name() + " (" + builtin.idl() + ")"
          : builtin.idl();
      LabelCheck range = builtinRange(builtin, written, context);
      if (range != null) {
        return range;
      }
    }
    DeclElement declared = null;
    if (type instanceof Type.Defined defined) {
      declared = types.inlineDecl(defined.name()) != null ? types.inlineDecl(defined.name())
          : scope.type(defined.name(), scope.fileOf(defined.name()), discriminant.location());
    }
    if (declared instanceof DeclElement.EnumDecl enumDecl) {
      String enumFile = scope.fileOf(enumDecl.name()) != null ? scope.fileOf(enumDecl.name()) : file;
      Map<String, Long> values = constants.enumValues(enumDecl, enumFile);
      return (at, value) -> {
        if (!values.containsValue(value)) {
          diagnostics.error(at, "case label " + value + " is not a value of enum "
              + enumDecl.name(), context);
          return false;
        }
        return true;
      };
    }
    diagnostics.error(discriminant.location(),
        "union discriminant must be int, unsigned int, bool, an enum, or rpcgen's char, short or"
            + " hyper (signed or not)", context);
    return null;
  }

  /** The range of a builtin discriminant type, {@code written} as the file names it; null if none is. */
  private LabelCheck builtinRange(Type.Builtin builtin, String written, String context) {
    switch (builtin) {
      case INT:
        return range(Integer.MIN_VALUE, Integer.MAX_VALUE, written, context);
      case UNSIGNED_INT:
        return range(0, 0xFFFF_FFFFL, written, context);
      case BOOL:
        return range(0, 1, written, context);
      case CHAR:
        return range(Byte.MIN_VALUE, 0xFF, written, context); // signed on x86, unsigned on ARM
      case INT8:
        return range(Byte.MIN_VALUE, Byte.MAX_VALUE, written, context);
      case UNSIGNED_CHAR:
        return range(0, 0xFF, written, context);
      case SHORT:
        return range(Short.MIN_VALUE, Short.MAX_VALUE, written, context);
      case UNSIGNED_SHORT:
        return range(0, 0xFFFF, written, context);
      case HYPER:
        // Not RFC 4506's (§4.15: int, unsigned int or enum), but rpcgen's C switches on any
        // integer, and files use it (fastxdr's xdr_spec.x): 8 bytes on the wire.
        return range(Long.MIN_VALUE, Long.MAX_VALUE, written, context);
      case UNSIGNED_HYPER:
        return range(0, Long.MAX_VALUE, written, context);
      default:
        return null;
    }
  }

  private LabelCheck range(long min, long max, String typeName, String context) {
    return (at, value) -> {
      if (value < min || value > max) {
        diagnostics.error(at, "case label " + value + " does not fit discriminant type " + typeName
            + ", which holds " + min + " to " + max, context);
        return false;
      }
      return true;
    };
  }
}
