package org.onyxrpc.cli.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.idl.cli.Idlc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code onyx compile …}: idlc, with its options and exit statuses; its usage and messages name
 * it {@code onyx compile}.
 */
@Command(name = "compile",
    description = "Compiles IDL to Java sources, as idlc: [-o OUT] [-I DIR]... FILE... (onyx compile --help "
        + "shows its options); onyx compile check-compat OLD NEW and onyx compile from-java run idlc's "
        + "subcommands.")
public final class CompileCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public CompileCommand() {}

  /** idlc's arguments, options and files in the order given: {@code check-compat --strict} must stay so. */
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return Idlc.run("onyx compile", args.toArray(String[]::new), Path.of("").toAbsolutePath(), System.out, System.err);
  }
}
