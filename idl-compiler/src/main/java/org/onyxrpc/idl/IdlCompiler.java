package org.onyxrpc.idl;

import com.palantir.javapoet.JavaFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.onyxrpc.idl.javagen.JavaGenerator;
import org.onyxrpc.idl.link.FileLoader;
import org.onyxrpc.idl.link.Linker;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * The compiler as a library: {@code .idl} files in, Java sources and diagnostics out.
 *
 * <pre>{@code
 * IdlCompiler.Result result = IdlCompiler.compile(Path.of("."), List.of(), List.of(Path.of("calc.idl")));
 * System.err.print(result.diagnostics().format());
 * result.sources().forEach(source -> write(out.resolve(source.path()), source.content()));
 * }</pre>
 */
public final class IdlCompiler {
  private IdlCompiler() {}

  /**
   * One generated Java file: its path under the output root and its text.
   *
   * @param path its path under the output root
   * @param content its text
   */
  public record GeneratedSource(String path, String content) {}

  /**
   * Diagnostics of the run, the schema and the sources (both empty when there were errors), and
   * every file the run read (roots, imports, {@code #include}s, preludes; absolute, sorted).
   *
   * @param diagnostics the errors and warnings of the run
   * @param schema the linked schema, empty when there were errors
   * @param sources the generated files, empty when there were errors
   * @param read every file the run read, absolute and sorted
   */
  public record Result(Diagnostics diagnostics, Optional<Schema> schema, List<GeneratedSource> sources,
      List<Path> read) {
    /**
     * A result that names no file read.
     *
     * @param diagnostics the run's diagnostics
     * @param schema the linked schema, or empty when there were errors
     * @param sources the generated Java, empty when there were errors
     */
    public Result(Diagnostics diagnostics, Optional<Schema> schema, List<GeneratedSource> sources) {
      this(diagnostics, schema, sources, List.of());
    }

    /**
     * True when no error was reported.
     *
     * @return whether the run succeeded
     */
    public boolean succeeded() {
      return !diagnostics.hasErrors();
    }
  }

  /**
   * Compiles {@code files} and what they import (looked up beside the importer, then in
   * {@code includeDirs}). Diagnostics name files relative to {@code base}. Java is generated for
   * every loaded file, imports included, in a deterministic order.
   *
   * @param base the directory diagnostics name files relative to
   * @param includeDirs where imports are looked up after the importer's directory
   * @param files the files to compile
   * @return the diagnostics, the schema and the generated sources
   */
  public static Result compile(Path base, List<Path> includeDirs, List<Path> files) {
    return compile(base, CompilerOptions.includes(includeDirs), files);
  }

  /**
   * Compiles {@code files} as {@link #compile(Path, List, List)} does, with macros and preludes:
   * each file is first run through the C preprocessor as rpcgen runs it.
   *
   * @param base the directory diagnostics name files relative to
   * @param options include directories, macros and preludes
   * @param files the files to compile
   * @return the diagnostics, the schema and the generated sources
   */
  public static Result compile(Path base, CompilerOptions options, List<Path> files) {
    Diagnostics diagnostics = new Diagnostics();
    FileLoader loader = new FileLoader(base, options, diagnostics);
    FileLoader.Loaded loaded = loader.load(files);
    // Files that parsed are checked even when others did not, so one run reports all it can.
    Optional<Schema> schema = Linker.link(loaded, diagnostics);
    if (schema.isEmpty()) {
      return new Result(diagnostics, schema, List.of(), loader.read());
    }
    List<JavaFile> generated = JavaGenerator.generate(schema.get(), diagnostics);
    if (diagnostics.hasErrors()) {
      // A type Java cannot hold (JavaLimits): its text is not wanted, and could be tens of MB.
      return new Result(diagnostics, schema, List.of(), loader.read());
    }
    List<GeneratedSource> sources = generated.stream()
        .map(file -> new GeneratedSource(
            (file.packageName().isEmpty() ? "" : file.packageName().replace('.', '/') + "/")
                + file.typeSpec().name() + ".java",
            file.toString()))
        .toList();
    return new Result(diagnostics, schema, sources, loader.read());
  }
}
