package org.onyxrpc.idl.javagen;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Warns where two IDL names map to one Java name ({@code foo_bar} and {@code fooBar}): the
 * generator still compiles by numbering the second, but the user should know its Java name.
 * Java keywords need no warning: {@code class} simply becomes {@code class_}.
 */
final class NameCollisions {
  private final Diagnostics diagnostics;

  NameCollisions(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  void check(Schema schema) {
    Map<String, Map<String, TypeDecl>> packages = new HashMap<>();
    for (SchemaFile file : schema.files()) {
      Map<String, TypeDecl> names = packages.computeIfAbsent(file.javaPackage(), p -> new HashMap<>());
      for (TypeDecl type : file.types()) {
        String java = Names.pascal(type.name());
        TypeDecl previous = names.putIfAbsent(fileKey(java), type);
        if (previous != null && Names.pascal(previous.name()).equals(java)) {
          warn(type.location(), "type", type.name(), previous.name(), java);
        } else if (previous != null) {
          diagnostics.warning(type.location(), "type '" + type.name() + "' and '" + previous.name()
              + "' map to Java names '" + java + "' and '" + Names.pascal(previous.name())
              + "', one file on a case-insensitive file system; this one gets a numbered name");
        }
        if (type instanceof TypeDecl.StructType struct) {
          fields(struct.fields());
        } else if (type instanceof TypeDecl.UnionType union) {
          List<Field> fields = new java.util.ArrayList<>();
          fields.add(union.discriminant());
          union.arms().stream().filter(a -> a.field() != null).forEach(a -> fields.add(a.field()));
          if (union.defaultArm() != null && union.defaultArm().field() != null) {
            fields.add(union.defaultArm().field());
          }
          fields(fields);
        }
      }
    }
    for (SchemaFile file : schema.files()) {
      Map<String, TypeDecl> names = packages.get(file.javaPackage());
      if (!file.constants().isEmpty()) {
        String base = file.file().replaceAll(".*/", "").replaceAll("\\.[^.]*$", "");
        holder(names, file.constants().get(0).location(), "constants of '"
            + file.file().replaceAll(".*/", "") + "'", Names.pascal(base) + "Constants");
      }
      for (Service service : file.services()) {
        for (Service.Version version : service.versions()) {
          holder(names, service.location(), "service '" + service.name() + "' version "
              + Integer.toUnsignedString(version.number()), Names.pascal(service.name()) + "V"
              + Integer.toUnsignedString(version.number()));
          methods(service, version);
        }
      }
    }
  }

  /** A class JavaTypes names after a file or service, which a type's class may already take. */
  private void holder(Map<String, TypeDecl> types, Location at, String what, String java) {
    TypeDecl type = types.get(fileKey(java));
    if (type != null) {
      diagnostics.warning(at, "the class of the " + what + " and type '" + type.name()
          + "' both map to Java name '" + java + "'; the class gets a numbered name");
    }
  }

  /** Top-level classes are files: names that differ only in case are one file on macOS or Windows. */
  private static String fileKey(String java) {
    return java.toLowerCase(Locale.ROOT);
  }

  private void fields(List<Field> fields) {
    Map<String, Field> names = new HashMap<>();
    for (Field field : fields) {
      String java = Names.camel(field.name());
      Field previous = names.putIfAbsent(java, field);
      if (previous != null && !previous.name().equals(field.name())) {
        warn(field.location(), "field", field.name(), previous.name(), java);
      }
    }
  }

  /**
   * Procedures whose Java methods meet ({@code getVersion} and {@code GET_VERSION}); the
   * schema keeps no procedure's position, so the warning is at its program's.
   */
  private void methods(Service service, Service.Version version) {
    Map<String, String> names = new HashMap<>();
    for (Service.Procedure procedure : version.procedures()) {
      String java = Names.camel(procedure.name());
      String previous = names.putIfAbsent(java, procedure.name());
      if (previous != null) {
        diagnostics.warning(service.location(), "procedure '" + procedure.name() + "' and '"
            + previous + "' of version " + Integer.toUnsignedString(version.number())
            + " both map to Java method '" + java + "'; this one gets a numbered name");
      }
    }
  }

  private void warn(Location at, String kind, String name, String other, String java) {
    diagnostics.warning(at, kind + " '" + name + "' and '" + other + "' both map to Java name '"
        + java + "'; this one gets a numbered name");
  }
}
