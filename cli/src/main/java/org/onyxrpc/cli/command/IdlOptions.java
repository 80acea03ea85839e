package org.onyxrpc.cli.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.idl.cli.InputFiles;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.source.CompilerOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The IDL files a subcommand reads the schema from. */
public final class IdlOptions {
  /** Picocli makes one per command and sets its options from the command line. */
  public IdlOptions() {}

  @Option(names = "--idl", required = true, split = ",", paramLabel = "FILE",
      description = "IDL (.idl or rpcgen .x) files with the service; repeat the option or separate files "
          + "with commas.")
  List<Path> files = new ArrayList<>();

  @Option(names = {"-I", "--include"}, paramLabel = "DIR",
      description = "Also look for imported files in DIR (repeatable).")
  List<Path> includes = new ArrayList<>();

  @Option(names = "--prelude", paramLabel = "FILE",
      description = "Read FILE before each IDL file, whose names they all then see, as idlc --prelude: what a "
          + ".x file takes from C headers or from another .x file (nis.x for nis_callback.x). Repeatable.")
  List<Path> preludes = new ArrayList<>();

  /** The command these options are part of: warnings are told under its name. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /** The checked schema; throws IdlSchemas.IdlErrorsException with every error. */
  Schema schema() {
    return read().schema();
  }

  /** The checked schema and which of its files were named with {@code --idl}. */
  IdlSchemas.Read read() {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir : includes.stream().map(cwd::resolve).toList()) {
      // As idlc warns: a mistyped -I showed only as an import not found, if one was.
      String missing = InputFiles.notAnIncludeDirectory(cwd, dir);
      if (missing != null) {
        command.commandLine().getErr().println(command.qualifiedName() + ": warning: " + missing);
      }
    }
    // Told as idlc tells it, before the compiler would report it as a diagnostic at FILE:1:1.
    List<Path> preludeFiles = preludes.stream().map(cwd::resolve).toList();
    for (Path file : Stream.concat(preludeFiles.stream(), files.stream().map(cwd::resolve)).toList()) {
      String unreadable = InputFiles.unreadable(cwd, file, "the .idl, .x and .rpcl files");
      if (unreadable != null && preludeFiles.contains(file)) {
        // Named as the prelude, as idlc names it: "cannot read missing.x" read as an --idl file.
        unreadable = unreadable.replaceFirst("^cannot read ", "cannot read prelude ");
      }
      if (unreadable != null) {
        throw new IllegalArgumentException(unreadable);
      }
    }
    CompilerOptions options = new CompilerOptions(includes.stream().map(cwd::resolve).toList(), Map.of(),
        List.of(), preludeFiles);
    return IdlSchemas.read(cwd, options, files.stream().map(cwd::resolve).toList());
  }
}
