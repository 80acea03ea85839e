package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.TypeArguments;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/** Resolves written types to schema types, replacing typedefs by what they name. */
final class TypeResolver {
  static final int QUADRUPLE_BYTES = 16;

  private final Scope scope;
  private final ConstantEvaluator constants;
  private final Diagnostics diagnostics;
  private final Map<String, Type> typedefs = new HashMap<>();
  private final Set<String> resolving = new HashSet<>();

  TypeResolver(Scope scope, ConstantEvaluator constants, Diagnostics diagnostics) {
    this.scope = scope;
    this.constants = constants;
    this.diagnostics = diagnostics;
  }

  /** Links an anonymous declaration once it has a name. */
  interface InlineLinker {
    TypeDecl link(DeclElement named, String file);
  }

  private InlineLinker inlineLinker;
  private final Map<String, DeclElement> inline = new HashMap<>();
  private final Map<String, List<TypeDecl>> hoisted = new HashMap<>();

  void inlineLinker(InlineLinker linker) {
    this.inlineLinker = linker;
  }

  /** The types declared anonymously in {@code file}, in the order they were linked. */
  List<TypeDecl> hoisted(String file) {
    return List.copyOf(hoisted.getOrDefault(file, List.of()));
  }

  /** The named copy of an anonymous declaration, or null. */
  DeclElement inlineDecl(String name) {
    return inline.get(name);
  }

  /**
   * The resolved type, or null after an error. {@code hint} names an anonymous type written here
   * ({@code Owner_field}); it is numbered if the name is taken.
   */
  Type resolve(TypeElement type, String file, String hint, String... context) {
    if (type instanceof TypeElement.Inline anonymous) {
      String name = hint;
      for (int i = 2; scope.declares(name) || inline.containsKey(name); i++) {
        name = hint + i;
      }
      return hoist(anonymous, name, file);
    }
    if (type instanceof TypeElement.Builtin builtin) {
      if (builtin.kind() == TypeElement.BuiltinKind.QUADRUPLE && scope.seesType("quadruple", file)) {
        // rpcgen has no quadruple: to it the word is a name, which a file may declare (and
        // which a file that does not see that declaration reads as RFC 4506's).
        return named(new TypeElement.Named(builtin.location(), "quadruple"), file, context);
      }
      if (builtin.kind() == TypeElement.BuiltinKind.QUADRUPLE) {
        // RFC 4506 §4.8: 16 bytes of IEEE 754 binary128. Java has no such float, so the bits
        // travel as they are, in a byte[16].
        return new Type.Opaque(QUADRUPLE_BYTES, true);
      }
      return Type.Builtin.valueOf(builtin.kind().name());
    }
    if (type instanceof TypeElement.Named named) {
      return named(named, file, context);
    }
    if (type instanceof TypeElement.StringType string) {
      Integer max = bound(string.max(), false, file, context);
      return max == null ? null
          : new Type.StringType(max, boundName(max, string.max(), file));
    }
    if (type instanceof TypeElement.Opaque opaque) {
      Integer size = bound(opaque.size(), opaque.fixed(), file, context);
      return size == null ? null
          : new Type.Opaque(size, opaque.fixed(), boundName(size, opaque.size(), file));
    }
    if (type instanceof TypeElement.Array array) {
      String generic = typeArguments(array, file);
      if (generic != null) {
        diagnostics.error(array.element().location(), generic, context);
        return null;
      }
      Type element = resolve(array.element(), file, hint, context);
      Integer size = bound(array.size(), array.fixed(), file, context);
      return element == null || size == null ? null
          : new Type.Array(element, size, array.fixed(), boundName(size, array.size(), file));
    }
    Type element = resolve(((TypeElement.Optional) type).element(), file, hint, context);
    return element == null ? null : new Type.Optional(element);
  }

  /**
   * {@code resolved}, the type {@code written} resolved to, in the IDL's own words for
   * documentation and messages: a typedef's name where one was used ({@code tag<MAX_TAGS>}, not
   * {@code string<32><MAX_TAGS>}), bounds by their constant's name, an anonymous type by the name
   * it was given. "void" for null.
   */
  static String written(TypeElement written, Type resolved) {
    if (written == null || resolved == null) {
      return Type.idl(resolved);
    }
    if (written instanceof TypeElement.Named named) {
      return named.name();
    }
    if (written instanceof TypeElement.Builtin builtin) {
      return builtin.kind().idl();  // quadruple too, which resolves to opaque[16]
    }
    if (written instanceof TypeElement.Array array && resolved instanceof Type.Array type) {
      return written(array.element(), type.element())
          + Type.bound(type.size(), type.fixed(), type.sizeConstant());
    }
    if (written instanceof TypeElement.Optional optional && resolved instanceof Type.Optional type) {
      return written(optional.element(), type.element()) + " *";
    }
    return Type.idl(resolved);  // string, opaque, an anonymous type's name
  }

  /**
   * For {@code list<Book>} where a procedure takes or returns a type, which the parser reads as a
   * variable-length array of an unknown 'list' bounded by the type 'Book': what to write instead
   * ({@link TypeArguments}), where "unknown type 'list'" and "'Book' is a type, not a constant"
   * would leave the writer to guess; else null.
   */
  private String typeArguments(TypeElement.Array array, String file) {
    if (array.fixed() || !(array.element() instanceof TypeElement.Named generic)
        || !(array.size() instanceof ExprElement.Reference bound)
        || scope.declares(generic.name()) || CTypeNames.of(generic.name()) != null
        || !scope.seesType(bound.name(), file)) {
      return null;
    }
    return TypeArguments.inProcedure(generic.name(), bound.name());
  }

  /** Resolves a typedef declaration (so that unused ones are checked too). */
  Type typedef(DeclElement.TypedefDecl decl, String file) {
    if (typedefs.containsKey(decl.name())) {
      return typedefs.get(decl.name());
    }
    if (!resolving.add(decl.name())) {
      diagnostics.error(decl.location(), "typedef '" + decl.name() + "' refers to itself");
      typedefs.put(decl.name(), null);
      return null;
    }
    TypeElement written = decl.declaration().type();
    Type type = written instanceof TypeElement.Inline anonymous
        ? hoist(anonymous, decl.name(), file)  // typedef struct {...} name;
        : resolve(written, file, decl.name(), "in typedef " + decl.name() + " (" + decl.location() + ")");
    resolving.remove(decl.name());
    typedefs.put(decl.name(), type);
    return type;
  }

  private Type hoist(TypeElement.Inline anonymous, String name, String file) {
    DeclElement named = rename(anonymous.declaration(), name);
    inline.put(name, named);
    TypeDecl linked = inlineLinker.link(named, file);
    hoisted.computeIfAbsent(file, f -> new ArrayList<>()).add(linked);
    return new Type.Defined(name);
  }

  private static DeclElement rename(DeclElement decl, String name) {
    if (decl instanceof DeclElement.EnumDecl e) {
      return new DeclElement.EnumDecl(e.location(), name, e.doc(), e.annotations(), e.values());
    }
    if (decl instanceof DeclElement.StructDecl s) {
      return new DeclElement.StructDecl(s.location(), name, s.doc(), s.annotations(), s.fields(),
          s.exception());
    }
    DeclElement.UnionDecl u = (DeclElement.UnionDecl) decl;
    return new DeclElement.UnionDecl(u.location(), name, u.doc(), u.annotations(),
        u.discriminant(), u.cases(), u.defaultArm());
  }

  private Type named(TypeElement.Named named, String file, String... context) {
    // A name C gives every file is the file's unless it sees a declaration of its own: another
    // file of the run may declare uint32_t (nfs4j's nfs4_prot.x) for itself.
    Type fromC = scope.sees(named.name(), file) ? null : CTypeNames.of(named.name());
    if (fromC != null) {
      return fromC;
    }
    DeclElement.StructDecl givenByC = scope.declares(named.name()) ? null
        : CTypeNames.struct(named.name(), named.location());
    if (givenByC != null) {
      // Declared once, in the first file that uses it, like an anonymous type.
      if (!inline.containsKey(givenByC.name())) {
        inline.put(givenByC.name(), givenByC);
        hoisted.computeIfAbsent(file, f -> new ArrayList<>()).add(inlineLinker.link(givenByC, file));
      }
      return new Type.Defined(givenByC.name());
    }
    DeclElement decl = scope.type(named.name(), file, named.location(), context);
    if (decl == null) {
      return null;
    }
    if (decl instanceof DeclElement.TypedefDecl typedef) {
      return typedef(typedef, scope.fileOf(typedef.name()));
    }
    if (decl instanceof DeclElement.ServiceDecl) {
      diagnostics.error(named.location(), "'" + named.name() + "' is a service, not a type", context);
      return null;
    }
    if (decl instanceof DeclElement.StructDecl struct && struct.exception()) {
      diagnostics.error(named.location(),
          "exception '" + named.name() + "' can only be used in 'throws'", context);
      return null;
    }
    return new Type.Defined(decl.name());
  }

  /** The const a valid bound was written as ({@code <MAX>}), or null for any other expression. */
  private String constantName(ExprElement expr, String file) {
    if (expr instanceof ExprElement.Reference reference && (scope.sees(reference.name(), file)
        || scope.declares(reference.name()) && CTypeNames.constant(reference.name()) == null)) {
      Scope.Value value = scope.value(reference.name(), file, reference.location());
      return value != null && value.constant() != null ? value.name() : null;
    }
    return null;
  }

  /**
   * The const a bound was written as, unless its value was beyond 2^31-1 and read as unbounded:
   * such a const (say 0xFFFFFFFF) is a Java {@code long}, which no int parameter takes.
   */
  private String boundName(int size, ExprElement expr, String file) {
    if (size == Type.UNBOUNDED && expr != null) {
      java.math.BigInteger value = constants.exact(expr, file);
      if (value == null || value.bitLength() > 31) {
        return null;
      }
    }
    return constantName(expr, file);
  }

  /**
   * An array, string or opaque bound: absent means unbounded; a fixed size must be 0..2^31-1. A
   * maximum may be anything XDR's unsigned lengths allow (RFC 4506 §4.10: up to 2^32-1, which
   * rpcgen writes for {@code <>}); beyond 2^31-1 it is read as unbounded, since no Java array or
   * String holds more, and a count beyond that is refused by the reader either way.
   */
  Integer bound(ExprElement expr, boolean fixed, String file, String... context) {
    if (expr == null) {
      return Type.UNBOUNDED;
    }
    java.math.BigInteger value = constants.exact(expr, file, context);
    if (value == null) {
      return null;
    }
    if (value.signum() < 0) {
      diagnostics.error(expr.location(), "bound must not be negative: " + value, context);
      return null;
    }
    if (!fixed && value.bitLength() > 31 && value.bitLength() <= 32) {
      return Type.UNBOUNDED;
    }
    if (value.bitLength() > 31) {
      diagnostics.error(expr.location(), "bound " + value + " is too large (at most "
          + (fixed ? Integer.MAX_VALUE : "4294967295") + ")", context);
      return null;
    }
    return value.intValue();
  }
}
