package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.idl.compat.CompatReport;
import org.onyxrpc.idl.compat.CompatibilityChecker;
import org.onyxrpc.idl.compat.Finding;
import org.onyxrpc.idl.source.CompilerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code idlc check-compat [--strict] [--verbose] [-I DIR]... OLD NEW}. */
@Command(name = "check-compat", sortOptions = false, usageHelpWidth = 100, separator = " ",
    customSynopsis = "${COMMAND-FULL-NAME} [--strict] [--verbose] [-I DIR]... OLD NEW",
    descriptionHeading = "%n", description = {"Tells whether a new version of a schema can replace the old one.", "",
      "OLD and NEW are two versions of a schema, each an .idl/.x/.rpcl"
          + " file or a directory of them (the same layout). To check against a git revision, extract"
          + " it first, e.g.",
      "  git worktree add /tmp/baseline v1.0   (then OLD is /tmp/baseline/src/main/idl)",
      "",
      "Findings are printed as file:line:col: error|warning|info: message (old: file:line:col):",
      "  error    breaks the wire: old clients or servers misread or reject the new one",
      "  warning  breaks Java source only: a rename or a new Java package",
      "  info     compatible (new procedures, versions, values, raised bounds, comments)"},
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n",
    footer = {"", "Exit status: 0 compatible, 1 breaking, 2 usage or I/O error (or an input with errors)."})
final class CheckCompatCommand implements Callable<Integer> {
  private final Path cwd;

  @Spec CommandSpec spec;

  @Option(names = "--strict", description = "treat warnings (source-breaking changes) as errors")
  boolean strict;

  @Option(names = {"-v", "--verbose"}, description = "also print the compatible changes (info)")
  boolean verbose;

  @Option(names = {"-I", "--include"}, paramLabel = "DIR",
      description = "also look for imports in DIR (repeatable)")
  List<Path> includes = new ArrayList<>();

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "OLD",
      description = "the schema as it was: a file or a directory")
  Path old;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NEW",
      description = "the schema as it is now: a file or a directory of the same layout")
  Path changed;

  CheckCompatCommand(Path cwd) {
    this.cwd = cwd;
  }

  @Override
  public Integer call() {
    if (changed == null) {
      int given = old == null ? 0 : 1;
      throw new ParameterException(spec.commandLine(), "expected OLD and NEW, got " + given
          + " input" + (given == 1 ? "" : "s"));
    }
    PrintWriter err = spec.commandLine().getErr();
    String idlc = spec.parent().qualifiedName();
    List<Path> inputs = List.of(cwd.resolve(old), cwd.resolve(changed));
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        err.println(idlc + ": cannot read " + Idlc.shown(cwd, input) + ": no such file or directory");
        return Idlc.USAGE;
      }
    }
    for (Path dir : includes) {
      // As idlc warns of it: a mistyped -I otherwise shows only as an import not found, if one is.
      String missing = InputFiles.notAnIncludeDirectory(cwd, cwd.resolve(dir));
      if (missing != null) {
        err.println(idlc + ": warning: " + missing);
      }
    }
    CompatibilityChecker.Result result;
    try {
      result = CompatibilityChecker.check(cwd, inputs.get(0), inputs.get(1),
          CompilerOptions.includes(includes.stream().map(cwd::resolve).toList()));
    } catch (IOException e) {
      err.println(idlc + ": cannot read input: " + e.getMessage());
      return Idlc.USAGE;
    }
    err.print(result.diagnostics().format());
    if (result.report().isEmpty()) {
      err.println(idlc + ": cannot compare: fix the errors above first");
      return Idlc.USAGE;
    }
    CompatReport report = result.report().get();
    spec.commandLine().getOut().print(report.format(verbose, strict));
    int wire = report.of(Finding.Kind.WIRE).size();
    if (wire > 0) {
      err.println(spec.qualifiedName() + ": " + wire + " breaking change" + (wire == 1 ? "" : "s")
          + ". " + CompatReport.WAY_OUT);
    }
    return report.breaking(strict) ? 1 : 0;
  }
}
