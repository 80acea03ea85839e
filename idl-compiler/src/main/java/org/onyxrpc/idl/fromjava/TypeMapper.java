package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a Java type, with its {@code @Size} and {@code @Nullable} annotations, to the IDL type
 * whose generated Java is that same type (so the original code compiles against it).
 */
final class TypeMapper {
  /** A Java type with no IDL equivalent; the message says which and what to write instead. */
  static final class Unmappable extends Exception {
    private static final long serialVersionUID = 1L;

    Unmappable(String message) {
      super(message);
    }
  }

  private static final Map<String, String> BOXED = Map.of(
      "Integer", "int", "Long", "hyper", "Float", "float", "Double", "double", "Boolean", "bool");
  private static final Set<String> PRIMITIVE_ARRAYS = Set.of("int", "long", "float", "double",
      "boolean");

  private final JavaSources sources;
  private final Map<String, String> typedefs = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> referenced = new HashSet<>();

  TypeMapper(JavaSources sources) {
    this.sources = sources;
  }

  /** Typedefs the mapped types need ({@code string} inside a list or optional), name to line. */
  Map<String, String> typedefs() {
    return typedefs;
  }

  /** The declared types named by the types mapped so far, for imports between packages. */
  Set<String> referenced() {
    return referenced;
  }

  /** Warnings of the last {@link #map} call; cleared by each call. */
  List<String> warnings() {
    return warnings;
  }

  IdlType map(Type type, NodeWithAnnotations<?> annotated) throws Unmappable {
    warnings.clear();
    long bound = Annotations.number(annotated, "Size", "max").orElse(-1L);
    boolean nullable = Annotations.has(annotated, "Nullable");
    IdlType mapped = map(type, bound);
    if (nullable && !mapped.optional()) {
      return optional(mapped, type);
    }
    return mapped;
  }

  private IdlType map(Type type, long bound) throws Unmappable {
    String suffix = bound < 0 ? "<>" : "<" + bound + ">";
    if (type.isPrimitiveType()) {
      return primitive(type.asPrimitiveType());
    }
    if (type.isArrayType()) {
      return array(type.asArrayType(), suffix);
    }
    if (type.isWildcardType()) {
      throw new Unmappable("cannot map the wildcard `" + type + "` to XDR: name one type, as "
          + type.asWildcardType().getExtendedType().map(t -> "`" + t + "`")
              .orElse("a record"));
    }
    if (!type.isClassOrInterfaceType()) {
      throw new Unmappable("cannot map `" + type + "` to XDR");
    }
    ClassOrInterfaceType named = type.asClassOrInterfaceType();
    String name = named.getNameAsString();
    if (named.getScope().isEmpty() && isTypeParameter(type, name)) {
      throw new Unmappable("cannot map `" + name + "` to XDR: it is a type parameter, and XDR"
          + " has no generics; declare a record for each type it stands for");
    }
    List<Type> arguments = named.getTypeArguments().map(List::copyOf).orElse(List.of());
    if (BOXED.containsKey(name)) {
      return new IdlType(BOXED.get(name), "", true);
    }
    switch (name) {
      case "String" -> {
        return new IdlType("string", suffix, false);
      }
      case "List" -> {
        if (arguments.size() != 1) {
          throw new Unmappable("cannot map a raw `List` to XDR: give its element type");
        }
        return list(arguments.get(0), suffix);
      }
      case "Optional" -> {
        return optionalOf(type, arguments, bound);
      }
      default -> { }
    }
    return declared(type, name);
  }

  /** A Java array: opaque for bytes, a variable-length array of other primitives. */
  private IdlType array(ArrayType array, String suffix) throws Unmappable {
    Type component = array.getComponentType();
    if (component.isPrimitiveType()) {
      String name = component.asPrimitiveType().getType().asString();
      if (name.equals("byte")) {
        return new IdlType("opaque", suffix, false);
      }
      if (PRIMITIVE_ARRAYS.contains(name)) {
        return new IdlType(primitive(component.asPrimitiveType()).spec(), suffix, false);
      }
    }
    throw new Unmappable("cannot map `" + array + "` to XDR: use List<" + component
        + ">, which becomes a variable-length array");
  }

  /** {@code Optional<T>}: optional-data of T, with a warning that the Java changes. */
  private IdlType optionalOf(Type type, List<Type> arguments, long bound) throws Unmappable {
    if (arguments.size() != 1) {
      throw new Unmappable("cannot map a raw `Optional` to XDR: give its element type");
    }
    if (arguments.get(0).isClassOrInterfaceType()
        && arguments.get(0).asClassOrInterfaceType().getNameAsString().equals("Optional")) {
      throw new Unmappable("cannot map `" + type + "` to XDR, whose optional-data is absent"
          + " or present once: a nested Optional would lose which level is empty; wrap the"
          + " inner one in a record");
    }
    IdlType element = map(arguments.get(0), bound);
    warnings.add("`" + type + "` becomes optional-data `" + optional(element, arguments.get(0))
        .ref() + "`, whose generated Java is a nullable " + arguments.get(0)
        + ", not an Optional: code calling isPresent() or get() on it must change");
    return optional(element, arguments.get(0));
  }

  /** A data type the sources declare, referenced by name (an exception is no data type). */
  private IdlType declared(Type type, String name) throws Unmappable {
    TypeDeclaration<?> declared = sources.dataType(name);
    if (declared == null) {
      throw new Unmappable(unknown(type, name));
    }
    if (JavaSources.isException(declared)) {
      throw new Unmappable("exception `" + name + "` can only be thrown: an IDL exception is not"
          + " data; use a record with the same fields");
    }
    referenced.add(name);
    return IdlType.of(name);
  }

  private IdlType list(Type element, String suffix) throws Unmappable {
    if (element.isClassOrInterfaceType()
        && BOXED.containsKey(element.asClassOrInterfaceType().getNameAsString())) {
      String box = element.asClassOrInterfaceType().getNameAsString();
      String primitive = box.equals("Integer") ? "int" : box.toLowerCase(Locale.ROOT);
      throw new Unmappable("cannot map `List<" + box + ">` to XDR: the generated Java of an array"
          + " of " + BOXED.get(box) + " is " + primitive + "[]; declare it as " + primitive + "[]");
    }
    IdlType mapped = map(element, -1);
    if (mapped.optional() || !mapped.suffix().isEmpty()) {
      if (mapped.optional() || !mapped.spec().equals("string") && !mapped.spec().equals("opaque")) {
        throw new Unmappable("cannot map `List<" + element + ">` to XDR: an array element must"
            + " be a single value; wrap `" + element + "` in a record");
      }
      return new IdlType(typedef(mapped), suffix, false);
    }
    return new IdlType(mapped.spec(), suffix, false);
  }

  private IdlType optional(IdlType element, Type type) throws Unmappable {
    if (element.optional()) {
      return element;
    }
    if (element.suffix().isEmpty()) {
      if (!sourcesDeclare(element.spec())) {
        throw new Unmappable("cannot map a nullable `" + type + "` to XDR: use its boxed type");
      }
      return new IdlType(element.spec(), "", true);
    }
    if (element.spec().equals("string") || element.spec().equals("opaque")) {
      return new IdlType(typedef(element), "", true);
    }
    throw new Unmappable("cannot map an optional `" + type + "` to XDR: an array cannot be"
        + " absent; use an empty list instead, or wrap it in a record");
  }

  private boolean sourcesDeclare(String spec) {
    return sources.dataType(spec) != null;
  }

  /** {@code typedef string OptionalString64<64>;}, so a string can be an element or optional. */
  private String typedef(IdlType element) {
    String bound = element.suffix().replaceAll("[<>]", "");
    String name = (element.spec().equals("string") ? "JavaString" : "JavaBytes") + bound;
    typedefs.put(name, "typedef " + element.declare(name) + ";");
    return name;
  }

  private static IdlType primitive(PrimitiveType type) throws Unmappable {
    return switch (type.getType()) {
      case INT -> IdlType.of("int");
      case LONG -> IdlType.of("hyper");
      case FLOAT -> IdlType.of("float");
      case DOUBLE -> IdlType.of("double");
      case BOOLEAN -> IdlType.of("bool");
      default -> throw new Unmappable("cannot map `" + type + "` to XDR, whose smallest integer"
          + " is 32 bits: use int");
    };
  }

  /** True when {@code name} is a type parameter of a method or type around {@code type}. */
  private static boolean isTypeParameter(Type type, String name) {
    for (Node node = type; node != null; node = node.getParentNode().orElse(null)) {
      if (node instanceof NodeWithTypeParameters<?> generic && generic.getTypeParameters()
          .stream().anyMatch(p -> p.getNameAsString().equals(name))) {
        return true;
      }
    }
    return false;
  }

  private static String unknown(Type type, String name) {
    return switch (name) {
      case "Map", "HashMap", "TreeMap", "SortedMap" -> "cannot map `" + type + "` to XDR, which"
          + " has no maps: use a List of a record with key and value components";
      case "Set", "HashSet", "TreeSet", "Collection" -> "cannot map `" + type + "` to XDR: use"
          + " a List (the order is then part of the wire)";
      case "Object" -> "cannot map `Object` to XDR: declare the possible types as records that a"
          + " sealed interface permits";
      default -> "cannot map `" + type + "` to XDR: `" + name + "` is not a record, enum, sealed"
          + " interface or exception among the input files; add its source file, or declare it"
          + " as one of these";
    };
  }
}
