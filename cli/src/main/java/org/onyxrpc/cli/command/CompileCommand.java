package org.onyxrpc.cli.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.idl.cli.Idlc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code onyx compile …}: idlc, with its options and exit statuses. */
@Command(name = "compile",
    description = "Compiles IDL to Java sources: idlc [-o OUT] [-I DIR]... FILE... (onyx compile --help "
        + "shows its options).")
public final class CompileCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "idlc's arguments.")
  List<String> args = new ArrayList<>();

  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> all = new ArrayList<>(options);
    all.addAll(args);
    return Idlc.run(all.toArray(String[]::new), Path.of("").toAbsolutePath(), System.out, System.err);
  }
}
