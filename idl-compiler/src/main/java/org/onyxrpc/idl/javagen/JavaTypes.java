package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.onyxrpc.idl.schema.Constant;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * The one table from IDL types to Java types, and the Java class of every declared type,
 * constants class and service holder (allocated per package, so names never collide).
 *
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><td>int, unsigned int</td><td>int (unsigned keeps its 32 bits)</td></tr>
 *   <tr><td>hyper, unsigned hyper</td><td>long (unsigned keeps its 64 bits)</td></tr>
 *   <tr><td>float, double, bool</td><td>float, double, boolean</td></tr>
 *   <tr><td>string</td><td>String (UTF-8)</td></tr>
 *   <tr><td>opaque</td><td>byte[]</td></tr>
 *   <tr><td>T[N], T&lt;N&gt;</td><td>int[], long[], float[], double[], boolean[] for scalars; else List&lt;T&gt;</td></tr>
 *   <tr><td>T *</td><td>the boxed T, null when absent</td></tr>
 *   <tr><td>struct, enum, union, exception</td><td>record, enum, sealed interface, checked exception</td></tr>
 * </table>
 */
final class JavaTypes {
  private final Schema schema;
  private final Map<String, ClassName> classes = new HashMap<>();
  private final Map<SchemaFile, ClassName> constants = new HashMap<>();
  private final Map<Service.Version, ClassName> holders = new HashMap<>();
  private final Map<String, String> constantNames = new HashMap<>();
  private final Map<String, ClassName> constantClasses = new HashMap<>();
  private final Map<String, Boolean> selfHolding = new HashMap<>();

  JavaTypes(Schema schema) {
    this.schema = schema;
    Map<String, Names.Allocator> packages = new HashMap<>();
    // Each type that can have its own name takes it first, so that a numbered name never takes
    // the name of a type declared later ('ab', 'AB' and 'Ab2': 'AB' is Ab3, and 'Ab2' keeps Ab2).
    for (SchemaFile file : schema.files()) {
      Names.Allocator names = packages.computeIfAbsent(file.javaPackage(), p -> Names.Allocator.forFiles());
      for (TypeDecl type : file.types()) {
        String wanted = Names.pascal(type.name());
        if (names.take(wanted)) {
          classes.put(type.name(), ClassName.get(file.javaPackage(), wanted));
        }
      }
    }
    for (SchemaFile file : schema.files()) {
      Names.Allocator names = packages.get(file.javaPackage());
      for (TypeDecl type : file.types()) {
        classes.computeIfAbsent(type.name(),
            name -> ClassName.get(file.javaPackage(), names.allocate(Names.pascal(name))));
      }
    }
    for (SchemaFile file : schema.files()) {
      Names.Allocator names = packages.get(file.javaPackage());
      if (!file.constants().isEmpty()) {
        String base = file.file().replaceAll(".*/", "").replaceAll("\\.[^.]*$", "");
        ClassName holder = ClassName.get(file.javaPackage(),
            names.allocate(Names.pascal(base) + "Constants"));
        constants.put(file, holder);
        List<String> javaNames = Names.constants(file.constants().stream().map(Constant::name).toList(),
            new Names.Allocator());
        for (int i = 0; i < javaNames.size(); i++) {
          constantNames.put(file.constants().get(i).name(), javaNames.get(i));
          constantClasses.put(file.constants().get(i).name(), holder);
        }
      }
      for (Service service : file.services()) {
        for (Service.Version version : service.versions()) {
          String name = Names.pascal(service.name()) + "V" + Integer.toUnsignedString(version.number());
          holders.put(version, ClassName.get(file.javaPackage(), names.allocate(name)));
        }
      }
    }
  }

  /** The java.lang types generated code names; a generated type of the same name hides them. */
  private static final Set<String> JAVA_LANG = Set.of("String", "Exception", "Override", "Integer",
      "Long", "Float", "Double", "Boolean", "Byte", "Void", "Object", "Throwable",
      "IllegalArgumentException", "Error");

  /**
   * {@code builder} for a top-level type in {@code name}'s package, told to write java.lang names
   * in full where the package declares a type of the same name (a {@code struct String}).
   */
  TypeSpec.Builder qualified(TypeSpec.Builder builder, ClassName name) {
    List<String> shadowed = new ArrayList<>();
    for (ClassName generated : allClasses()) {
      if (generated.packageName().equals(name.packageName()) && JAVA_LANG.contains(generated.simpleName())) {
        shadowed.add(generated.simpleName());
      }
    }
    Collections.sort(shadowed);
    return shadowed.isEmpty() ? builder : builder.alwaysQualify(shadowed.toArray(new String[0]));
  }

  /**
   * Every simple name a nested type of {@code owner} must not take: the top-level types generated
   * into its package. A nested type of such a name would hide the top-level one inside its owner
   * (a reader's trap), and in the default package there is no way to name the hidden one at all.
   */
  Set<String> reservedNestedNames(ClassName owner) {
    Set<String> reserved = new java.util.HashSet<>();
    for (ClassName generated : allClasses()) {
      if (generated.packageName().equals(owner.packageName())) {
        reserved.add(generated.simpleName());
      }
    }
    return reserved;
  }

  /**
   * The simple names of every class generated, in any package: a local type in generated code
   * must take none of them, or it would hide one that the code names.
   */
  Set<String> generatedSimpleNames() {
    Set<String> names = new HashSet<>(JAVA_LANG);
    allClasses().forEach(c -> names.add(c.simpleName()));
    return names;
  }

  private List<ClassName> allClasses() {
    List<ClassName> all = new ArrayList<>(classes.values());
    all.addAll(constants.values());
    all.addAll(holders.values());
    return all;
  }

  Schema schema() {
    return schema;
  }

  ClassName className(String idlName) {
    return classes.get(idlName);
  }

  ClassName constantsClass(SchemaFile file) {
    return constants.get(file);
  }

  /** The Java field name of a const. */
  String constantName(String idlName) {
    return constantNames.get(idlName);
  }

  /** A bound as Java: the const it was written as, {@code Xdr.UNBOUNDED}, or a literal. */
  CodeBlock bound(int value, String constant) {
    if (constant != null && constantClasses.containsKey(constant)) {
      return CodeBlock.of("$T.$L", constantClasses.get(constant), constantNames.get(constant));
    }
    return value == Type.UNBOUNDED ? CodeBlock.of("$T.UNBOUNDED", RuntimeTypes.XDR)
        : CodeBlock.of("$L", value);
  }

  ClassName holder(Service.Version version) {
    return holders.get(version);
  }

  /**
   * Whether {@code type} is a struct or union that can hold a value of itself, through any
   * path of fields, arms, arrays and optional data: such a value is read through the reader's
   * depth count ({@code readNested}), so deep nesting from a peer is an error, not a stack overflow.
   */
  boolean holdsItself(Type type) {
    TypeDecl decl = decl(type);
    if (decl == null || decl instanceof TypeDecl.EnumType) {
      return false;
    }
    return selfHolding.computeIfAbsent(decl.name(), name -> reaches(decl, name, new HashSet<>()));
  }

  private boolean reaches(TypeDecl from, String target, Set<String> seen) {
    for (Type t : fieldTypes(from)) {
      while (t instanceof Type.Array || t instanceof Type.Optional) {
        t = t instanceof Type.Array a ? a.element() : ((Type.Optional) t).element();
      }
      if (t instanceof Type.Defined defined) {
        if (defined.name().equals(target)) {
          return true;
        }
        TypeDecl next = schema.type(defined.name());
        if (next != null && seen.add(defined.name()) && reaches(next, target, seen)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Type> fieldTypes(TypeDecl decl) {
    List<Type> types = new ArrayList<>();
    if (decl instanceof TypeDecl.StructType struct) {
      struct.fields().forEach(f -> types.add(f.type()));
    } else if (decl instanceof TypeDecl.UnionType union) {
      List<TypeDecl.Arm> arms = new ArrayList<>(union.arms());
      if (union.defaultArm() != null) {
        arms.add(union.defaultArm());
      }
      for (TypeDecl.Arm arm : arms) {
        if (arm.field() != null) {
          types.add(arm.field().type());
        }
      }
    }
    return types;
  }

  TypeDecl decl(Type type) {
    return type instanceof Type.Defined defined ? schema.type(defined.name()) : null;
  }

  boolean isEnum(Type type) {
    return decl(type) instanceof TypeDecl.EnumType;
  }

  /**
   * Whether the Java type of {@code type} is {@link java.io.Serializable}: primitives and their
   * boxes, strings, byte and primitive arrays, enums; not the generated records and unions, nor a
   * {@code List} or {@code Optional}.
   */
  boolean serializable(Type type) {
    if (type instanceof Type.Array array) {
      return array.element() instanceof Type.Builtin;
    }
    if (type instanceof Type.Optional optional) {
      return !(optional.element() instanceof Type.Optional) && serializable(optional.element());
    }
    return !(type instanceof Type.Defined) || isEnum(type);
  }

  /** The Java type of a value of {@code type}, primitive where possible. */
  TypeName java(Type type) {
    if (type instanceof Type.Builtin builtin) {
      return switch (builtin) {
        case INT, UNSIGNED_INT, CHAR, INT8, UNSIGNED_CHAR, SHORT, UNSIGNED_SHORT -> TypeName.INT;
        case HYPER, UNSIGNED_HYPER -> TypeName.LONG;
        case FLOAT -> TypeName.FLOAT;
        case DOUBLE -> TypeName.DOUBLE;
        case BOOL -> TypeName.BOOLEAN;
      };
    }
    if (type instanceof Type.StringType) {
      return ClassName.get(String.class);
    }
    if (type instanceof Type.Opaque) {
      return ArrayTypeName.of(TypeName.BYTE);
    }
    if (type instanceof Type.Array array) {
      return array.element() instanceof Type.Builtin
          ? ArrayTypeName.of(java(array.element()))
          : ParameterizedTypeName.get(RuntimeTypes.LIST, boxed(array.element()));
    }
    if (type instanceof Type.Optional optional) {
      // T ** (cfs' mount.x: groups *gr_next, groups being struct groupnode *): null when the
      // outer flag is 0, Optional.empty() when the outer is 1 and the inner 0, as C tells a null
      // pointer from a pointer to a null pointer.
      return optional.element() instanceof Type.Optional
          ? ParameterizedTypeName.get(RuntimeTypes.OPTIONAL, boxed(optional.element()))
          : boxed(optional.element());
    }
    return className(((Type.Defined) type).name());
  }

  /** The Java type as a reference type (for generics and nullable values). */
  TypeName boxed(Type type) {
    return java(type).box();
  }

  /** The fewest bytes a value takes on the wire, at least 1, for the reader's length checks. */
  int minBytes(Type type) {
    return (int) Math.max(1, Math.min(1 << 20, min(type, 0)));
  }

  private long min(Type type, int depth) {
    if (type instanceof Type.Builtin builtin) {
      return builtin.size();
    }
    if (type instanceof Type.Opaque opaque && opaque.fixed()) {
      return (opaque.size() + 3L) & ~3L;
    }
    if (type instanceof Type.Array array && array.fixed()) {
      // Capped at each level: 2^31 - 1 rows of 2^31 - 1 ints overflowed a long to a negative
      // minimum, which minBytes took as 1 byte, letting any count through the bytes-left check.
      return Math.min(Integer.MAX_VALUE, array.size() * min(array.element(), depth));
    }
    if (!(type instanceof Type.Defined) || depth > 8) {
      return 4;
    }
    TypeDecl decl = decl(type);
    if (decl instanceof TypeDecl.StructType struct) {
      long sum = 0;
      for (var field : struct.fields()) {
        sum = Math.min(Integer.MAX_VALUE, sum + min(field.type(), depth + 1));
      }
      return sum;
    }
    return 4;
  }
}
