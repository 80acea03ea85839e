package org.onyxrpc.cli.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.idl.schema.Schema;
import picocli.CommandLine.Option;

/** The IDL files a subcommand reads the schema from. */
public final class IdlOptions {
  @Option(names = "--idl", required = true, split = ",", paramLabel = "FILE",
      description = "IDL (.idl or rpcgen .x) files with the service; repeat the option or separate files "
          + "with commas.")
  List<Path> files = new ArrayList<>();

  @Option(names = {"-I", "--include"}, paramLabel = "DIR",
      description = "Also look for imported files in DIR (repeatable).")
  List<Path> includes = new ArrayList<>();

  /** The checked schema; throws IdlSchemas.IdlErrorsException with every error. */
  Schema schema() {
    Path cwd = Path.of("").toAbsolutePath();
    return IdlSchemas.load(cwd, includes.stream().map(cwd::resolve).toList(),
        files.stream().map(cwd::resolve).toList());
  }
}
