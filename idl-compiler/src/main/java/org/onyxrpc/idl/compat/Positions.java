package org.onyxrpc.idl.compat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.FileElement;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Where the members that the schema keeps without a location were written: versions,
 * procedures, enum constants, union cases and package names. Looked up through the syntax tree
 * by the declaration's own location, which the schema keeps; the linker keeps members in the
 * order they were written, so the n-th member of each is the n-th element.
 */
public final class Positions {
  private final Map<Location, DeclElement> declarations = new HashMap<>();
  private final Map<String, FileElement> files = new HashMap<>();

  /**
   * Indexes the parsed files of one schema.
   *
   * @param parsed the syntax trees the schema was linked from
   */
  public Positions(List<FileElement> parsed) {
    for (FileElement file : parsed) {
      files.put(file.file(), file);
      file.declarations().forEach(this::index);
    }
  }

  private void index(DeclElement decl) {
    declarations.put(decl.location(), decl);
    if (decl instanceof DeclElement.StructDecl s) {
      s.fields().forEach(f -> index(f.type()));
    } else if (decl instanceof DeclElement.UnionDecl u) {
      index(u.discriminant().type());
      u.cases().forEach(c -> index(c.arm().type()));
      if (u.defaultArm() != null) {
        index(u.defaultArm().type());
      }
    } else if (decl instanceof DeclElement.TypedefDecl t) {
      index(t.declaration().type());
    } else if (decl instanceof DeclElement.ServiceDecl s) {
      for (Elements.Version version : s.versions()) {
        for (Elements.Procedure procedure : version.procedures()) {
          index(procedure.result());
          procedure.parameters().forEach(p -> index(p.type()));
        }
      }
    }
  }

  private void index(TypeElement type) {
    if (type instanceof TypeElement.Inline inline) {
      index(inline.declaration());
    } else if (type instanceof TypeElement.Array array) {
      index(array.element());
    } else if (type instanceof TypeElement.Optional optional) {
      index(optional.element());
    }
  }

  /**
   * Where version {@code index} (0-based, in schema order) of {@code service} is written.
   *
   * @param service a service of the schema
   * @param index which of its versions
   * @return the version's position, or the service's when the syntax tree lacks it
   */
  public Location version(Service service, int index) {
    return service(service).map(s -> s.versions().get(index).location())
        .orElse(service.location());
  }

  /**
   * Where procedure {@code procedure} of version {@code version} is written.
   *
   * @param service a service of the schema
   * @param version which of its versions (0-based, in schema order)
   * @param procedure which of that version's procedures (0-based)
   * @return the procedure's position, or the service's when the syntax tree lacks it
   */
  public Location procedure(Service service, int version, int procedure) {
    return service(service)
        .map(s -> s.versions().get(version).procedures().get(procedure).location())
        .orElse(service.location());
  }

  /**
   * Where enum constant {@code index} is written.
   *
   * @param type an enum of the schema
   * @param index which of its constants (0-based)
   * @return the constant's position, or the enum's when the syntax tree lacks it
   */
  public Location enumConstant(TypeDecl.EnumType type, int index) {
    return declarations.get(type.location()) instanceof DeclElement.EnumDecl e
        ? e.values().get(index).location() : type.location();
  }

  /**
   * Where union case {@code index} (the default arm: {@code arms().size()}) is written.
   *
   * @param type a union of the schema
   * @param index which of its arms (0-based)
   * @return the arm's position, or the union's when the syntax tree lacks it
   */
  public Location arm(TypeDecl.UnionType type, int index) {
    if (!(declarations.get(type.location()) instanceof DeclElement.UnionDecl u)) {
      return type.location();
    }
    if (index < u.cases().size()) {
      return u.cases().get(index).location();
    }
    return u.defaultArm() == null ? type.location() : u.defaultArm().location();
  }

  /**
   * Where the package of {@code file} is named, or its start when it has none.
   *
   * @param file a file's display name
   * @return the position of its package declaration, or of its start
   */
  public Location packageOf(String file) {
    FileElement element = files.get(file);
    return element == null || element.packageLocation() == null
        ? new Location(file, 1, 1) : element.packageLocation();
  }

  private Optional<DeclElement.ServiceDecl> service(Service service) {
    return declarations.get(service.location()) instanceof DeclElement.ServiceDecl s
        ? Optional.of(s) : Optional.empty();
  }
}
