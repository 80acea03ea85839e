package org.onyxrpc.idl.link;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.SourceVersion;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.FileElement;
import org.onyxrpc.idl.schema.Constant;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Resolves the syntax trees of all loaded files into a {@link Schema}: names, constants and
 * types, with every check. Each mistake is reported; the schema exists only when there is none.
 */
public final class Linker {
  private Linker() {}

  /**
   * Links {@code loaded}; empty when any error was reported.
   *
   * @param loaded the parsed files
   * @param diagnostics where errors are reported
   * @return the resolved schema, or empty
   */
  public static Optional<Schema> link(FileLoader.Loaded loaded, Diagnostics diagnostics) {
    List<FileElement> loadedFiles = PassThroughConstants.resolvable(loaded);
    Scope scope = new Scope(loadedFiles, loaded.imports(), loaded.incomplete(), diagnostics)
        .withCIncludes(loaded.cIncludes(), loaded.cDefines(), loaded.cTypedefs(), loaded.cConstants())
        .withSkippedDefinitions(loaded.skippedDefinitions());
    ConstantEvaluator constants = new ConstantEvaluator(scope, diagnostics);
    TypeResolver types = new TypeResolver(scope, constants, diagnostics);
    DataTypeLinker data = new DataTypeLinker(scope, constants, types, diagnostics);
    ServiceLinker services = new ServiceLinker(scope, constants, types, data, diagnostics);
    types.inlineLinker(data::inline);
    Passes passes = new Passes(scope, constants, types, data, services, diagnostics);

    List<SchemaFile> files = new ArrayList<>();
    Map<String, TypeDecl> allTypes = new LinkedHashMap<>();
    Map<Integer, List<Service>> programs = new HashMap<>();
    for (FileElement file : loadedFiles) {
      checkPackageName(file, diagnostics);
      files.add(passes.file(file, programs));
    }
    addHoistedTypes(files, types, allTypes);
    scope.reportUnknownNames();
    new RecursionCheck(allTypes, diagnostics).run();
    return diagnostics.hasErrors() ? Optional.empty() : Optional.of(new Schema(files));
  }

  /** The linkers of one run, shared by its files. */
  private record Passes(Scope scope, ConstantEvaluator constants, TypeResolver types,
      DataTypeLinker data, ServiceLinker services, Diagnostics diagnostics) {
    /** Links {@code file}'s declarations in order; adds its numbered services to {@code programs}. */
    SchemaFile file(FileElement file, Map<Integer, List<Service>> programs) {
      String name = file.file();
      List<Constant> fileConstants = new ArrayList<>();
      List<TypeDecl> fileTypes = new ArrayList<>();
      List<Service> fileServices = new ArrayList<>();
      for (DeclElement decl : file.declarations()) {
        if (scope.isRedeclaration(decl)) {
          continue;
        }
        if (!(decl instanceof DeclElement.ServiceDecl)) {
          data.warnUnknownAnnotations(decl.annotations());
        }
        if (decl instanceof DeclElement.ConstDecl c && c.text() != null) {
          fileConstants.add(new Constant(c.name(), null, c.text(), c.doc(), c.location()));
        } else if (decl instanceof DeclElement.ConstDecl c && ConstantEvaluator.beyond64Bits(c)) {
          diagnostics.warning(c.location(), "constant '" + c.name() + "' does not fit in 64 bits:"
              + " Java leaves it out (using it is an error)");
        } else if (decl instanceof DeclElement.ConstDecl c) {
          BigInteger value = constants.constant(c, name);
          if (value != null) {
            fileConstants.add(new Constant(c.name(), value, null, c.doc(), c.location()));
          }
        } else if (decl instanceof DeclElement.EnumDecl e) {
          fileTypes.add(data.enumType(e, name));
        } else if (decl instanceof DeclElement.StructDecl s) {
          fileTypes.add(data.structType(s, name));
        } else if (decl instanceof DeclElement.UnionDecl u) {
          fileTypes.add(data.unionType(u, name));
        } else if (decl instanceof DeclElement.TypedefDecl t) {
          types.typedef(t, name);
        } else if (decl instanceof DeclElement.ServiceDecl s) {
          Service service = services.link(s, name);
          // A number that is an error already has 0 in its place, which is no program's number.
          if (services.numbered(service)) {
            addProgram(programs, service, s, diagnostics);
          }
          fileServices.add(service);
        }
      }
      return new SchemaFile(name, file.packageName(), List.copyOf(fileConstants),
          List.copyOf(fileTypes), List.copyOf(fileServices));
    }
  }

  /** An error for a package name Java cannot have, a warning for one not all lowercase. */
  private static void checkPackageName(FileElement file, Diagnostics diagnostics) {
    if (!file.packageName().isEmpty() && !SourceVersion.isName(file.packageName())) {
      diagnostics.error(file.packageLocation(), "'" + file.packageName()
          + "' is not a valid Java package name (a part is a Java keyword)");
    } else if (!file.packageName().equals(file.packageName().toLowerCase(Locale.ROOT))) {
      // Valid Java, but against its naming convention (JLS 6.1): a warning, not an error.
      diagnostics.warning(file.packageLocation(), "package '" + file.packageName() + "' is not"
          + " all lowercase, as Java package names are by convention: '"
          + file.packageName().toLowerCase(Locale.ROOT) + "'");
    }
  }

  /**
   * Adds {@code service} to {@code programs}, by program number, with an error or a warning when
   * a program already there has a version of the same number.
   */
  private static void addProgram(Map<Integer, List<Service>> programs, Service service,
      DeclElement.ServiceDecl s, Diagnostics diagnostics) {
    // One program may be written as several blocks with other versions (Solaris'
    // nfs_prot.x: NFS_PROGRAM version 2, NFS3_PROGRAM version 3, both 100003).
    Service previous = sharedVersion(programs.getOrDefault(service.program(), List.of()), service);
    programs.computeIfAbsent(service.program(), p -> new ArrayList<>()).add(service);
    // Two blocks of one name and version in one file: C's dispatch function (lookup_2)
    // would be defined twice. Programs of other names share only the number, which C
    // compiles and OKWS' okprot.x does (each of its programs has its own channel), so
    // that is the warning another file's program of the number gets.
    if (previous != null && previous.location().file().equals(s.location().file())
        && previous.name().equals(service.name())) {
      diagnostics.error(s.location(), "duplicate program number "
          + ServiceLinker.hex(Integer.toUnsignedLong(service.program())) + " with version "
          + Integer.toUnsignedString(sharedVersionNumber(previous, service))
          + " (also used by " + previous.name() + " at " + previous.location() + ")");
    } else if (previous != null) {
      // Another program of that number and version (SFS's nfs3close_prot.x redeclares
      // NFS version 3 as cl_NFS_PROGRAM): C has both, and so does Java.
      diagnostics.warning(s.location(), "program number "
          + ServiceLinker.hex(Integer.toUnsignedLong(service.program())) + " with version "
          + Integer.toUnsignedString(sharedVersionNumber(previous, service)) + " is also "
          + previous.name() + "'s (" + previous.location() + "): a server can bind only one"
          + " of them");
    }
  }

  /** Anonymous types become types of the file they are written in, after its named ones. */
  private static void addHoistedTypes(List<SchemaFile> files, TypeResolver types,
      Map<String, TypeDecl> allTypes) {
    for (int i = 0; i < files.size(); i++) {
      SchemaFile file = files.get(i);
      List<TypeDecl> fileTypes = new ArrayList<>(file.types());
      fileTypes.addAll(types.hoisted(file.file()));
      files.set(i, new SchemaFile(file.file(), file.javaPackage(), file.constants(),
          List.copyOf(fileTypes), file.services()));
      fileTypes.forEach(type -> allTypes.putIfAbsent(type.name(), type));
    }
  }

  /** The first version number {@code other} and {@code service} both have. */
  private static int sharedVersionNumber(Service other, Service service) {
    return other.versions().stream().mapToInt(Service.Version::number)
        .filter(n -> service.versions().stream().anyMatch(v -> v.number() == n)).findFirst().orElseThrow();
  }

  /** The first of {@code others} (of one program number) with a version number {@code service} has. */
  private static Service sharedVersion(List<Service> others, Service service) {
    for (Service other : others) {
      for (Service.Version version : other.versions()) {
        if (service.versions().stream().anyMatch(v -> v.number() == version.number())) {
          return other;
        }
      }
    }
    return null;
  }
}
