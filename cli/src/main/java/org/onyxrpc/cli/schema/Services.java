package org.onyxrpc.cli.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.SchemaFile;
import org.onyxrpc.idl.schema.Service;

/** Finds services, versions and procedures of a schema by the names a person types. */
public final class Services {
  private Services() {}

  /**
   * One procedure of one version of a service.
   *
   * @param service the service
   * @param version the version of {@code service} that declares the procedure
   * @param procedure the procedure
   */
  public record Found(Service service, Service.Version version, Service.Procedure procedure) {}

  /**
   * Every service of the schema, in file order.
   *
   * @param schema the linked files
   * @return their services
   */
  public static List<Service> all(Schema schema) {
    List<Service> all = new ArrayList<>();
    for (SchemaFile file : schema.files()) {
      all.addAll(file.services());
    }
    return all;
  }

  /**
   * The services declared in the files named {@code files}, in file order.
   *
   * @param schema the linked files
   * @param files the display names of the files to take services from
   * @return the services those files declare
   */
  public static List<Service> declaredIn(Schema schema, Set<String> files) {
    List<Service> declared = new ArrayList<>();
    for (SchemaFile file : schema.files()) {
      if (files.contains(file.file())) {
        declared.addAll(file.services());
      }
    }
    return declared;
  }

  /**
   * The service named {@code name}: its IDL name, or its package-qualified name
   * ({@code org.onyxrpc.examples.calculator.Calculator}).
   *
   * @param schema the linked files
   * @param name the service's IDL name or package-qualified name
   * @return the service
   * @throws IllegalArgumentException naming the services there are
   */
  public static Service service(Schema schema, String name) {
    for (SchemaFile file : schema.files()) {
      for (Service s : file.services()) {
        if (s.name().equals(name) || qualified(file, s).equals(name)) {
          return s;
        }
      }
    }
    List<String> names = all(schema).stream().map(Service::name).toList();
    // Many .x files are XDR only: "it has []" read as if the files had not been read.
    throw new IllegalArgumentException("no service " + name + " in the IDL; "
        + (names.isEmpty() ? "it declares types only (onyx call needs a program)" : "it has " + names));
  }

  /**
   * The package-qualified name a server registers in the directory by default.
   *
   * @param schema the linked files, one of which declares {@code service}
   * @param service the service
   * @return its name qualified by its file's package, or its bare name when there is none
   */
  public static String qualified(Schema schema, Service service) {
    for (SchemaFile file : schema.files()) {
      if (file.services().contains(service)) {
        return qualified(file, service);
      }
    }
    return service.name();
  }

  private static String qualified(SchemaFile file, Service s) {
    return file.javaPackage().isEmpty() ? s.name() : file.javaPackage() + "." + s.name();
  }

  /** "; did you mean S.p?" for a procedure named without its service, or "" when none has it. */
  private static String withItsService(Schema schema, String procedure) {
    List<String> meant = all(schema).stream()
        .flatMap(s -> s.versions().stream().flatMap(v -> v.procedures().stream())
            .filter(p -> p.name().equalsIgnoreCase(procedure))
            .map(p -> s.name() + "." + p.name()))
        .distinct().toList();
    return meant.isEmpty() ? "" : "; did you mean " + String.join(" or ", meant) + "?";
  }

  /**
   * {@code SERVICE.procedure}: the procedure (its exact name, else the one name equal ignoring
   * case) in {@code version}, or when that is null in the highest version that has it.
   *
   * @param schema the linked files
   * @param reference {@code SERVICE.procedure}
   * @param version the version number, or null for the highest that has the procedure
   * @return the procedure with its service and version
   * @throws IllegalArgumentException naming what there is instead
   */
  public static Found procedure(Schema schema, String reference, Integer version) {
    int dot = reference.lastIndexOf('.');
    if (dot <= 0 || dot == reference.length() - 1) {
      throw new IllegalArgumentException("expected SERVICE.procedure, got " + reference
          + withItsService(schema, reference));
    }
    Service service = service(schema, reference.substring(0, dot));
    String name = reference.substring(dot + 1);
    List<Service.Version> versions = service.versions().stream()
        .filter(v -> version == null || v.number() == version)
        .sorted(Comparator.comparingLong((Service.Version v) -> Integer.toUnsignedLong(v.number())).reversed())
        .toList();
    if (versions.isEmpty()) {
      // Unsigned, as rpcinfo and onyx list print versions: 0x80000001 is 2147483649, not negative.
      throw new IllegalArgumentException(service.name() + " has no version " + Integer.toUnsignedString(version)
          + "; it has " + service.versions().stream().map(v -> Integer.toUnsignedLong(v.number())).toList());
    }
    for (boolean exact : new boolean[] {true, false}) {
      for (Service.Version v : versions) {
        for (Service.Procedure p : v.procedures()) {
          if (exact ? p.name().equals(name) : p.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
            return new Found(service, v, p);
          }
        }
      }
    }
    throw new IllegalArgumentException((version == null ? service.name()
        : service.name() + " version " + Integer.toUnsignedString(version))
        + " has no procedure " + name + "; it has "
        + versions.stream().flatMap(v -> v.procedures().stream()).map(Service.Procedure::name).distinct().toList());
  }
}
