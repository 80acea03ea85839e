package org.onyxrpc.idl.fromjava;

import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.onyxrpc.idl.source.Diagnostics;

/**
 * Java-first: reads Java sources (records, enums, sealed interfaces of records, checked
 * exceptions and service interfaces) and writes the {@code .idl} that idlc compiles back into
 * Java of the same shape, one file per Java package.
 *
 * <pre>{@code
 * JavaToIdl.Result result = JavaToIdl.convert(Path.of("."), List.of(Path.of("Catalog.java")));
 * System.err.print(result.diagnostics().format());
 * result.files().forEach(file -> write(out.resolve(file.path()), file.content()));
 * }</pre>
 */
public final class JavaToIdl {
  /** The start of the first line of every file from-java writes, which marks it as generated. */
  public static final String HEADER = "// Written by idlc from-java";

  private JavaToIdl() {}

  /**
   * One written {@code .idl} file: its path under the output root and its text.
   *
   * @param path its path under the output root
   * @param content its text
   */
  public record IdlFile(String path, String content) {}

  /**
   * The diagnostics ({@code File.java:line:col: error: …}) and the files (none on errors).
   *
   * @param diagnostics the diagnostics, as {@code File.java:line:col: error: …}
   * @param files the written files, none on errors
   */
  public record Result(Diagnostics diagnostics, List<IdlFile> files) {
    /**
     * True when no error was reported.
     *
     * @return whether the conversion succeeded
     */
    public boolean succeeded() {
      return !diagnostics.hasErrors();
    }
  }

  /**
   * Converts {@code javaFiles}; diagnostics name them relative to {@code base}.
   *
   * @param base the directory diagnostics name files relative to
   * @param javaFiles the Java sources to convert
   * @return the diagnostics, and one {@code .idl} file per Java package
   * @throws IOException when a file cannot be read
   */
  public static Result convert(Path base, List<Path> javaFiles) throws IOException {
    Diagnostics diagnostics = new Diagnostics();
    JavaSources sources = new JavaSources(diagnostics);
    for (Path file : javaFiles) {
      sources.parse(base, file);
    }
    TypeMapper types = new TypeMapper(sources);
    DataWriter data = new DataWriter(sources, types, diagnostics);
    ServiceWriter services = new ServiceWriter(sources, types, data, diagnostics);
    Map<String, PackageFile> packages = new LinkedHashMap<>();
    for (JavaSources.Source source : sources.sources()) {
      PackageFile file = packages.computeIfAbsent(source.javaPackage(), PackageFile::new);
      for (TypeDeclaration<?> type : source.unit().findAll(TypeDeclaration.class)) {
        String text = "";
        if (type instanceof RecordDeclaration record && !sources.isArm(record)) {
          text = data.struct(record);
        } else if (type instanceof EnumDeclaration e) {
          text = data.enumType(e);
        } else if (JavaSources.isUnion(type)) {
          text = data.union((ClassOrInterfaceDeclaration) type);
        } else if (JavaSources.isException(type)) {
          text = data.exception((ClassOrInterfaceDeclaration) type);
        } else if (sources.isService(type)) {
          text = services.service((ClassOrInterfaceDeclaration) type);
        }
        if (!text.isEmpty() && !sources.isService(type)) {
          nested(type, sources, diagnostics);
        }
        if (!text.isEmpty()) {
          file.definitions.add(text);
          file.sources.add(source.file());
        }
      }
      types.referenced().forEach(name -> {
        String home = sources.sourceOf(sources.dataType(name)).javaPackage();
        if (!home.equals(source.javaPackage())) {
          file.imports.add(home);
        }
      });
      types.referenced().clear();
      file.typedefs.addAll(types.typedefs().values());
      types.typedefs().clear();
    }
    data.reportRecursion();
    if (diagnostics.hasErrors()) {
      return new Result(diagnostics, List.of());
    }
    List<IdlFile> files = new ArrayList<>();
    packages.values().stream().filter(p -> !p.definitions.isEmpty())
        .forEach(p -> files.add(new IdlFile(p.path(), p.text())));
    return new Result(diagnostics, files);
  }

  /** IDL types are top-level: a nested one comes back as a top-level type of its package. */
  private static void nested(TypeDeclaration<?> type, JavaSources sources,
      Diagnostics diagnostics) {
    type.getParentNode().filter(TypeDeclaration.class::isInstance)
        .map(parent -> ((TypeDeclaration<?>) parent).getNameAsString())
        .ifPresent(outer -> diagnostics.warning(sources.location(type), "`" + outer + "."
            + type.getNameAsString() + "` becomes the top-level type `" + type.getNameAsString()
            + "` of its package, as the .idl has no nested types: code naming `" + outer + "."
            + type.getNameAsString() + "` must name `" + type.getNameAsString() + "`"));
  }

  /** The {@code .idl} of one Java package: {@code com/example/catalog/catalog.idl}. */
  private static final class PackageFile {
    final String javaPackage;
    final TreeSet<String> sources = new TreeSet<>();
    final TreeSet<String> imports = new TreeSet<>();
    final TreeSet<String> typedefs = new TreeSet<>();
    final List<String> definitions = new ArrayList<>();

    PackageFile(String javaPackage) {
      this.javaPackage = javaPackage;
    }

    String path() {
      return javaPackage.isEmpty() ? "default.idl"
          : javaPackage.replace('.', '/') + "/" + last(javaPackage) + ".idl";
    }

    private static String last(String javaPackage) {
      return javaPackage.substring(javaPackage.lastIndexOf('.') + 1);
    }

    String text() {
      StringBuilder out = new StringBuilder(HEADER)
          .append(" from these files; edit them and run it again:\n");
      sources.forEach(source -> out.append("//   ").append(source).append('\n'));
      if (!javaPackage.isEmpty()) {
        out.append("package ").append(javaPackage).append(";\n");
      }
      Path here = Path.of(path()).getParent() == null ? Path.of("") : Path.of(path()).getParent();
      for (String other : imports) {
        PackageFile target = new PackageFile(other);
        out.append("import \"").append(here.relativize(Path.of(target.path())).toString()
            .replace('\\', '/')).append("\";\n");
      }
      if (!typedefs.isEmpty()) {
        out.append('\n');
        typedefs.forEach(t -> out.append(t).append('\n'));
      }
      definitions.forEach(d -> out.append('\n').append(d));
      return out.toString();
    }
  }
}
