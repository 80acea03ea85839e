package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.Elements.EnumValue;
import org.onyxrpc.idl.parser.FileElement;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.preprocess.SkippedDefinition;

/**
 * The names of all loaded files: one namespace for types (struct, enum, union, exception,
 * typedef, service) and one for values (const and enum constants), as in rpcgen's C output.
 * A file sees its own names and those of the files it imports, directly or not.
 */
final class Scope {
  /** A value name: a const, or an enum constant with its enum. */
  record Value(String name, Location location, String file, DeclElement.ConstDecl constant,
      DeclElement.EnumDecl owner, EnumValue enumValue) {}

  private final Diagnostics diagnostics;
  private final Set<String> incomplete;
  private final Map<String, DeclElement> types = new LinkedHashMap<>();
  private final Map<String, String> typeFiles = new LinkedHashMap<>();
  /** Each file's Java package, to say why two packages' declarations of a name collide. */
  private final Map<String, String> packages = new LinkedHashMap<>();
  /** "file\0name" of each duplicate reported: its file's uses are not also "not imported". */
  private final Set<String> duplicates = new java.util.HashSet<>();
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final Map<String, Set<String>> visible = new LinkedHashMap<>();
  private final Set<String> dataTypes = new java.util.HashSet<>();
  private final Map<String, RpclNumber> rpclNumbers = new LinkedHashMap<>();
  /** Reports names no file declares, with what C-only lines and skipped branches say of them. */
  private final UnknownNames unknown;
  private final Set<DeclElement> redeclarations =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /**
   * Per file, the names it declares again identically: it sees them as its own, also where the
   * first declaration is in a file it does not import (FreeBSD's {@code nlm_prot.x} and
   * {@code klm_prot.x}, compiled together, each declare {@code LM_MAXSTRLEN}).
   */
  private final Map<String, Set<String>> redeclaredIn = new LinkedHashMap<>();

  /**
   * The number of an RPCL program, version or procedure, which rpcgen's C header {@code #define}s
   * under its name: {@code .x} files use those names in constant expressions
   * ({@code rpcb_prot.x}: {@code RPCBPROC_BCAST(rpcb_rmtcallargs) = RPCBPROC_CALLIT;}).
   */
  record RpclNumber(String name, ExprElement number, String file) {}

  /**
   * {@code incomplete} names the files that could not be read, parsed or found: a name missing
   * in a file that sees one of them may well be declared there, so it is not reported again as
   * unknown. Files that see none of them are checked in full.
   */
  Scope(List<FileElement> files, Map<String, List<String>> imports, Set<String> incomplete,
      Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
    this.unknown = new UnknownNames(diagnostics);
    this.incomplete = Set.copyOf(incomplete);
    for (FileElement file : files) {
      packages.put(file.file(), file.packageName());
      for (DeclElement decl : file.declarations()) {
        if (decl instanceof DeclElement.StructDecl || decl instanceof DeclElement.EnumDecl
            || decl instanceof DeclElement.UnionDecl) {
          dataTypes.add(decl.name());
        }
      }
    }
    for (FileElement file : files) {
      for (DeclElement decl : file.declarations()) {
        declare(file.file(), decl);
      }
    }
    for (FileElement file : files) {
      Set<String> seen = new LinkedHashSet<>();
      collect(file.file(), imports, seen);
      visible.put(file.file(), seen);
    }
  }

  /**
   * Names, per file, the first header its {@code %#include} lines give C: an unknown name there
   * may well come from C, and the first such error says how to supply it. {@code cDefines},
   * {@code cTypedefs} and {@code cConstants} are what {@code %#define}, {@code %typedef} and
   * {@code %enum}/{@code %const} lines give C, by name.
   */
  Scope withCIncludes(Map<String, String> cIncludes, Map<String, String> cDefines,
      Map<String, String> cTypedefs, Map<String, String> cConstants) {
    unknown.givenToC(cIncludes, cDefines, cTypedefs, cConstants);
    return this;
  }

  /**
   * What lines skipped only because idlc defines one of rpcgen's symbols would have declared,
   * per file and then by name.
   */
  Scope withSkippedDefinitions(Map<String, Map<String, SkippedDefinition>> skippedDefinitions) {
    unknown.skipped(skippedDefinitions);
    return this;
  }

  /**
   * Reports the unknown names of files with {@code %#include} lines, held back until now (see
   * {@link UnknownNames#reportHeldBack}).
   */
  void reportUnknownNames() {
    unknown.reportHeldBack();
  }

  private static void collect(String file, Map<String, List<String>> imports, Set<String> seen) {
    if (seen.add(file)) {
      for (String imported : imports.getOrDefault(file, List.of())) {
        collect(imported, imports, seen);
      }
    }
  }

  /** Registers the constants of anonymous enums written anywhere inside {@code decl}. */
  private void declareInline(String file, DeclElement decl) {
    if (decl instanceof DeclElement.StructDecl struct) {
      struct.fields().forEach(f -> declareInline(file, f.type()));
    } else if (decl instanceof DeclElement.UnionDecl union) {
      declareInline(file, union.discriminant().type());
      union.cases().forEach(c -> declareInline(file, c.arm().type()));
      if (union.defaultArm() != null) {
        declareInline(file, union.defaultArm().type());
      }
    } else if (decl instanceof DeclElement.TypedefDecl typedef) {
      declareInline(file, typedef.declaration().type());
    } else if (decl instanceof DeclElement.ServiceDecl service) {
      for (Elements.Version version : service.versions()) {
        for (Elements.Procedure procedure : version.procedures()) {
          declareInline(file, procedure.result());
          procedure.parameters().forEach(p -> declareInline(file, p.type()));
        }
      }
    }
  }

  private void declareInline(String file, TypeElement type) {
    if (type instanceof TypeElement.Inline inline) {
      if (inline.declaration() instanceof DeclElement.EnumDecl enumDecl) {
        for (EnumValue value : enumDecl.values()) {
          addValue(new Value(value.name(), value.location(), file, null, enumDecl, value));
        }
      } else {
        declareInline(file, inline.declaration());
      }
    } else if (type instanceof TypeElement.Array array) {
      declareInline(file, array.element());
    } else if (type instanceof TypeElement.Optional optional) {
      declareInline(file, optional.element());
    }
  }

  private void declare(String file, DeclElement decl) {
    if (decl instanceof DeclElement.TypedefDecl typedef
        && typedef.declaration().type() instanceof TypeElement.Named named
        && named.name().equals(typedef.name()) && dataTypes.contains(typedef.name())) {
      return;  // "typedef struct x x;", C's way of naming a struct without "struct": nothing new
    }
    declareInline(file, decl);
    if (decl instanceof DeclElement.ServiceDecl service && service.rpcl()) {
      declareRpclNumbers(file, service);
    }
    if (decl instanceof DeclElement.ConstDecl constant) {
      declareConstant(file, constant);
    } else {
      declareType(file, decl);
    }
  }

  /** A constant: its value, unless it is a predefined one or one declared again the same. */
  private void declareConstant(String file, DeclElement.ConstDecl constant) {
    if (Redeclaration.predefinedAsIs(constant)) {
      // pynfs' nfs3.x: "const FALSE = 0; const TRUE = 1;", which rpcgen writes into #defines.
      redeclarations.add(constant);
      diagnostics.warning(constant.location(), "'" + constant.name() + "' is predefined (RFC 4506 §4.4),"
          + " with this value: declaring it again changes nothing");
      return;
    }
    Value previous = values.get(constant.name());
    if (previous != null && previous.constant() != null
        && Redeclaration.same(previous.constant(), constant)) {
      redeclared(file, constant, previous.constant());
      return;
    }
    addValue(new Value(constant.name(), constant.location(), file, constant, null, null));
  }

  /**
   * A type or program: its name among types, or the error or warning of a name declared again;
   * an enum's values, as constants.
   */
  private void declareType(String file, DeclElement decl) {
    DeclElement previous = types.putIfAbsent(decl.name(), decl);
    if (previous != null && Redeclaration.same(previous, decl)) {
      redeclared(file, decl, previous);
      return;
    } else if (previous != null && Redeclaration.anotherBlock(previous, decl)) {
      return;  // linked as a service of its own; its versions must be others
    } else if (previous != null && previous.kind().equals(decl.kind())
        && Redeclaration.comparable(decl)) {
      diagnostics.error(decl.location(), "duplicate name '" + decl.name() + "': declared again"
          + " as another " + decl.kind() + " than at " + previous.location()
          + acrossPackages(file, typeFiles.get(decl.name())));
      duplicates.add(file + "\0" + decl.name());
    } else if (previous != null && programAndDataType(previous, decl)) {
      // rpcgen writes both, and only its C meets them (the program's #define turns the type's
      // name into a number), as with a procedure or a const named like a type. The type keeps
      // the name among types; the program is linked from its declaration, into classes of
      // its own (FooV1 beside the type's Foo), and its name stays a constant.
      if (!(decl instanceof DeclElement.ServiceDecl)) {
        types.put(decl.name(), decl);
        typeFiles.put(decl.name(), file);
      }
    } else if (previous != null) {
      diagnostics.error(decl.location(), "duplicate name '" + decl.name()
          + "' (first declared as " + previous.kind() + " at " + previous.location() + ")"
          + acrossPackages(file, typeFiles.get(decl.name())));
      duplicates.add(file + "\0" + decl.name());
    } else {
      typeFiles.put(decl.name(), file);
    }
    if (decl instanceof DeclElement.EnumDecl enumDecl) {
      for (EnumValue value : enumDecl.values()) {
        addValue(new Value(value.name(), value.location(), file, null, enumDecl, value));
      }
    }
  }

  /** An RPCL {@code program} and a data type (struct, union, enum, typedef) of one name. */
  private static boolean programAndDataType(DeclElement a, DeclElement b) {
    return isProgram(a) && !(b instanceof DeclElement.ServiceDecl)
        || isProgram(b) && !(a instanceof DeclElement.ServiceDecl);
  }

  private static boolean isProgram(DeclElement decl) {
    return decl instanceof DeclElement.ServiceDecl service && service.rpcl();
  }

  /**
   * A declaration that says again what an earlier one did: a warning, and it is left out. The
   * same text read again (a file two compiled files {@code #include}, as rpcgen's users share
   * types) is not declared again by anyone: it is left out without a word.
   */
  private void redeclared(String file, DeclElement decl, DeclElement first) {
    redeclarations.add(decl);
    redeclaredIn.computeIfAbsent(file, f -> new java.util.HashSet<>()).add(decl.name());
    if (decl.location().equals(first.location())) {
      return;
    }
    diagnostics.warning(decl.location(), first.kind() + " '" + decl.name()
        + "' is declared again, identically; the first declaration (" + first.location()
        + ") stands");
  }

  /** True for a declaration that repeats an earlier one identically: nothing to link. */
  boolean isRedeclaration(DeclElement decl) {
    return redeclarations.contains(decl);
  }

  /**
   * The first program, version or procedure of each name (procedures repeat across versions, as
   * C's identical {@code #define}s do); never a duplicate of anything, as they are only looked up
   * when no constant has the name.
   */
  private void declareRpclNumbers(String file, DeclElement.ServiceDecl service) {
    rpclNumbers.putIfAbsent(service.name(), new RpclNumber(service.name(), service.number(), file));
    for (Elements.Version version : service.versions()) {
      if (version.name() != null) {
        rpclNumbers.putIfAbsent(version.name(), new RpclNumber(version.name(), version.number(), file));
      }
      for (Elements.Procedure procedure : version.procedures()) {
        if (procedure.number() != null) {
          rpclNumbers.putIfAbsent(procedure.name(),
              new RpclNumber(procedure.name(), procedure.number(), file));
        }
      }
    }
  }

  /**
   * The RPCL program, version or procedure {@code name} as {@code file} sees it, when no
   * constant has the name; else null.
   */
  RpclNumber rpclNumber(String name, String file) {
    RpclNumber number = rpclNumbers.get(name);
    return number == null || number.number() == null || values.containsKey(name)
        || !visible.getOrDefault(file, Set.of(file)).contains(number.file()) ? null : number;
  }

  private void addValue(Value value) {
    if (value.name().equals("TRUE") || value.name().equals("FALSE")) {
      diagnostics.error(value.location(), "'" + value.name() + "' is predefined");
      return;
    }
    Value previous = values.putIfAbsent(value.name(), value);
    if (previous != null) {
      // Some generators scope an enum's values to it (TokenD has STAMP in two): say why not here.
      boolean twoEnums = previous.owner() != null && value.owner() != null
          && !previous.owner().name().equals(value.owner().name());
      diagnostics.error(value.location(), "duplicate constant '" + value.name()
          + "' (first declared at " + previous.location() + ")" + (twoEnums
              ? ": the values of every enum share one namespace with the constants, as in C" : "")
          + acrossPackages(value.file(), previous.file()));
      duplicates.add(value.file() + "\0" + value.name());
    }
  }

  /**
   * Why a name of {@code file} collides with one of {@code first} of another package, or "": the
   * files compiled together share one namespace, as in rpcgen's C, which surprises a user who
   * gave each service its own package.
   */
  private String acrossPackages(String file, String first) {
    String here = packages.get(file);
    String there = packages.get(first);
    if (here == null || there == null || here.equals(there)) {
      return "";
    }
    return "; the files compiled together share one namespace, whatever their packages ("
        + (there.isEmpty() ? "the default package" : there) + ", " + (here.isEmpty() ? "the default package" : here)
        + "): rename one, or compile them in separate runs";
  }

  /** True when {@code file} sees a file that could not be read, parsed or found. */
  private boolean seesIncomplete(String file) {
    Set<String> seen = visible.getOrDefault(file, Set.of(file));
    return incomplete.stream().anyMatch(seen::contains);
  }

  /** True when {@code name} is declared as a type or a value. */
  boolean declares(String name) {
    return types.containsKey(name) || values.containsKey(name);
  }

  /** True when {@code file} sees a type or a value named {@code name}. */
  boolean sees(String name, String file) {
    Value value = values.get(name);
    return seesType(name, file) || value != null && sees(file, value.file(), name);
  }

  /** The value {@code name} when {@code file} sees one; else null, with no diagnostic. */
  Value visibleValue(String name, String file) {
    Value value = values.get(name);
    return value != null && sees(file, value.file(), name) ? value : null;
  }

  /** True when {@code file} is {@code other} or imports it (directly or not). */
  boolean seesFile(String file, String other) {
    return visible.getOrDefault(file, Set.of(file)).contains(other);
  }

  /** Whether {@code file} sees {@code name}, declared in {@code declaringFile}. */
  private boolean sees(String file, String declaringFile, String name) {
    return seesFile(file, declaringFile)
        || redeclaredIn.getOrDefault(file, Set.of()).contains(name);
  }

  /** Whether {@code file} sees a type named {@code name} (declared in it or in what it imports). */
  boolean seesType(String name, String file) {
    return types.containsKey(name) && sees(file, typeFiles.get(name), name);
  }

  /** The file that declares the type {@code name}. */
  String fileOf(String name) {
    return typeFiles.get(name);
  }

  /** The type declaration {@code name} as seen from {@code file}, or null after an error. */
  DeclElement type(String name, String file, Location at, String... context) {
    DeclElement decl = types.get(name);
    if (decl == null && seesIncomplete(file) && !values.containsKey(name)) {
      return null;
    }
    if (decl == null) {
      if (values.containsKey(name)) {
        diagnostics.error(at, "'" + name + "' is a constant, not a type", context);
      } else {
        unknown.report(file, at, unknown.typeMessage(name, file, () -> typeHints(file)), context);
      }
      return null;
    }
    return seenOrReported("type", name, typeFiles.get(name), file, at, context) ? decl : null;
  }

  /** The value {@code name} as seen from {@code file}, or null after an error. */
  Value value(String name, String file, Location at, String... context) {
    Value value = values.get(name);
    if (value == null && seesIncomplete(file) && !types.containsKey(name)) {
      return null;
    }
    if (value == null) {
      if (types.containsKey(name)) {
        diagnostics.error(at, "'" + name + "' is a type, not a constant", context);
      } else {
        unknown.report(file, at, unknown.constantMessage(name, file, () -> visibleValues(file)), context);
      }
      return null;
    }
    return seenOrReported("constant", name, value.file(), file, at, context) ? value : null;
  }

  /**
   * Whether {@code file} sees {@code name}, declared in {@code declaredIn}; if not, says so once
   * (a file that declared the name again was told so there).
   */
  private boolean seenOrReported(String kind, String name, String declaredIn, String file, Location at,
      String... context) {
    if (sees(file, declaredIn, name)) {
      return true;
    }
    if (!duplicates.contains(file + "\0" + name)) {
      diagnostics.error(at, kind + " '" + name + "' is declared in " + declaredIn + ", which " + file
          + " does not import", context);
    }
    return false;
  }

  private List<String> typeHints(String file) {
    List<String> names = new ArrayList<>();
    types.forEach((name, decl) -> {
      if (visible.get(file).contains(typeFiles.get(name))
          && !(decl instanceof DeclElement.ServiceDecl)) {
        names.add(name);
      }
    });
    names.addAll(UnknownNames.BUILT_IN_TYPES);
    return names;
  }

  private List<String> visibleValues(String file) {
    List<String> names = new ArrayList<>();
    values.forEach((name, value) -> {
      if (visible.get(file).contains(value.file())) {
        names.add(name);
      }
    });
    return names;
  }
}
