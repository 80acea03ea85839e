package org.onyxrpc.cli.schema;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.link.FileLoader;
import org.onyxrpc.idl.link.Linker;
import org.onyxrpc.idl.schema.Schema;

/** Reads {@code .idl} and {@code .x} files into the compiler's checked schema, without generating code. */
public final class IdlSchemas {
  private IdlSchemas() {}

  /**
   * Parses, links and checks {@code files} and their imports (looked up beside the importer, then
   * in {@code includeDirs}); diagnostics name files relative to {@code base}.
   *
   * @param base the directory diagnostics name files relative to
   * @param includeDirs where imports are looked up after the importer's directory
   * @param files the files to read
   * @return the checked schema of the files and their imports
   * @throws IdlErrorsException with every error, formatted {@code file:line:col: error: message}, and the
   *     warnings about {@code files} among them, as idlc prints them
   */
  public static Schema load(Path base, List<Path> includeDirs, List<Path> files) {
    return load(base, CompilerOptions.includes(includeDirs), files);
  }

  /**
   * As {@link #load(Path, List, List)}, with the compiler's options: include directories, and
   * preludes read before each file (what a {@code .x} file takes from C headers, or another
   * {@code .x} file it cannot import).
   *
   * @param base the directory diagnostics name files relative to
   * @param options include directories and preludes
   * @param files the files to read
   * @return the checked schema of the files, their imports and the preludes
   */
  public static Schema load(Path base, CompilerOptions options, List<Path> files) {
    return read(base, options, files).schema();
  }

  /**
   * A checked schema and the files that were asked for, as the schema names them: the rest of
   * its files are their imports and the preludes.
   *
   * @param schema every file's declarations
   * @param named the display names of the files asked for
   * @param warnings the compiler's warnings about the files asked for, formatted as idlc prints
   *     them ({@code file:line:col: warning: message}); those of imports and preludes left out
   */
  public record Read(Schema schema, Set<String> named, List<String> warnings) {
    /**
     * Copies {@code named} and {@code warnings}.
     *
     * @param schema every file's declarations
     * @param named the display names of the files asked for
     * @param warnings the warnings about the files asked for
     */
    public Read {
      named = Set.copyOf(named);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * As {@link #load(Path, CompilerOptions, List)}, telling the files asked for from the others.
   *
   * @param base the directory diagnostics name files relative to
   * @param options include directories and preludes
   * @param files the files to read
   * @return the checked schema and the names of {@code files} in it
   */
  public static Read read(Path base, CompilerOptions options, List<Path> files) {
    Diagnostics diagnostics = new Diagnostics();
    FileLoader.Loaded loaded = new FileLoader(base, options, diagnostics).load(files);
    Optional<Schema> schema = Linker.link(loaded, diagnostics);
    Set<String> named = Set.copyOf(loaded.roots());
    if (schema.isEmpty() || diagnostics.hasErrors()) {
      // As idlc prints them: the errors, and the warnings about the files asked for among them.
      throw new IdlErrorsException(diagnostics.sorted().stream()
          .filter(d -> d.severity() == org.onyxrpc.idl.source.Diagnostic.Severity.ERROR
              || named.contains(d.location().file()))
          .map(d -> d.format() + "\n")
          .collect(java.util.stream.Collectors.joining()));
    }
    List<String> warnings = diagnostics.sorted().stream()
        .filter(d -> d.severity() == org.onyxrpc.idl.source.Diagnostic.Severity.WARNING)
        .filter(d -> named.contains(d.location().file()))
        .map(org.onyxrpc.idl.source.Diagnostic::format)
        .toList();
    return new Read(schema.get(), named, warnings);
  }

  /** The IDL files had errors; the message is their diagnostics, one per line. */
  public static final class IdlErrorsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdlErrorsException(String diagnostics) {
      super(diagnostics);
    }
  }
}
