package org.onyxrpc.idl.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.SourceFiles;
import org.onyxrpc.idl.link.FileLoader;
import org.onyxrpc.idl.link.Linker;
import org.onyxrpc.idl.schema.Schema;

/**
 * One version of a schema, linked and checked, with the positions of its members: one side of
 * a comparison.
 *
 * @param schema the linked schema
 * @param positions the positions of its members
 */
public record SchemaVersion(Schema schema, Positions positions) {

  /**
   * The version, or the diagnostics that kept it from linking.
   *
   * @param diagnostics the diagnostics of loading it
   * @param version the version, when it linked
   */
  public record Loaded(Diagnostics diagnostics, Optional<SchemaVersion> version) {}

  /**
   * Loads {@code input}: one file, or a directory whose schema sources ({@link SourceFiles#isSource}:
   * {@code .idl}, {@code .x} and {@code .rpcl}, at any depth) are loaded together. Diagnostics name
   * files relative to {@code base}.
   *
   * @param base the directory diagnostics name files relative to
   * @param input a file, or a directory of schema sources
   * @param options include directories, macros and preludes
   * @return the diagnostics, and the linked version when there were no errors
   * @throws IOException when a directory cannot be listed
   */
  public static Loaded load(Path base, Path input, CompilerOptions options) throws IOException {
    List<Path> roots;
    if (Files.isDirectory(input)) {
      try (Stream<Path> walk = Files.walk(input)) {
        roots = walk.filter(Files::isRegularFile)
            .filter(SourceFiles::isSource)
            .sorted()
            .toList();
      }
    } else {
      roots = List.of(input);
    }
    Diagnostics diagnostics = new Diagnostics();
    FileLoader.Loaded loaded = new FileLoader(base, options, diagnostics).load(roots);
    Optional<Schema> schema = Linker.link(loaded, diagnostics);
    return new Loaded(diagnostics,
        schema.map(s -> new SchemaVersion(s, new Positions(loaded.files()))));
  }
}
