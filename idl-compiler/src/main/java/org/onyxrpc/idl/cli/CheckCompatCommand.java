package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.compat.CompatReport;
import org.onyxrpc.idl.compat.CompatibilityChecker;

/** {@code idlc check-compat [--strict] [--verbose] [-I DIR]... OLD NEW}. */
final class CheckCompatCommand {
  static final String USAGE = """
      Usage: %1$s check-compat [--strict] [--verbose] [-I DIR]... OLD NEW

      Tells whether NEW can replace OLD: OLD and NEW are two versions of a schema, each
      an .idl/.x file or a directory of them (the same layout). To check against a git
      revision, extract it first, e.g.
        git worktree add /tmp/baseline v1.0   (then OLD is /tmp/baseline/src/main/idl)

      Findings are printed as file:line:col: error|warning|info: message (old: file:line:col):
        error    breaks the wire: old clients or servers misread or reject the new one
        warning  breaks Java source only: a rename or a new Java package
        info     compatible (new procedures, versions, values, raised bounds, comments)

      Options:
        --strict            treat warnings (source-breaking changes) as errors
        --verbose           also print the compatible changes (info)
        -I, --include DIR   also look for imports in DIR (repeatable)
        -h, --help          print this help and exit

      Exit status: 0 compatible, 1 breaking, 2 usage or I/O error (or an input with errors).
      """;

  private CheckCompatCommand() {}

  static int run(String command, List<String> args, Path cwd, PrintStream out, PrintStream err) {
    boolean strict = false;
    boolean verbose = false;
    List<Path> includes = new ArrayList<>();
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> {
          out.print(USAGE.formatted(command));
          return 0;
        }
        case "--strict" -> strict = true;
        case "--verbose", "-v" -> verbose = true;
        case "-I", "--include" -> {
          if (++i >= args.size()) {
            return usage(command, err, arg + " needs a directory");
          }
          includes.add(cwd.resolve(args.get(i)));
        }
        default -> {
          if (arg.startsWith("-") && arg.length() > 1) {
            return usage(command, err, "unknown option " + arg);
          }
          inputs.add(cwd.resolve(arg));
        }
      }
    }
    if (inputs.size() != 2) {
      return usage(command, err, "expected OLD and NEW, got " + inputs.size() + " input"
          + (inputs.size() == 1 ? "" : "s"));
    }
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        err.println(command + ": cannot read " + Idlc.shown(cwd, input)
            + ": no such file or directory");
        return 2;
      }
    }
    CompatibilityChecker.Result result;
    try {
      result = CompatibilityChecker.check(cwd, inputs.get(0), inputs.get(1),
          CompilerOptions.includes(includes));
    } catch (IOException e) {
      err.println(command + ": cannot read input: " + e.getMessage());
      return 2;
    }
    err.print(result.diagnostics().format());
    if (result.report().isEmpty()) {
      err.println(command + ": cannot compare: fix the errors above first");
      return 2;
    }
    CompatReport report = result.report().get();
    out.print(report.format(verbose, strict));
    return report.breaking(strict) ? 1 : 0;
  }

  private static int usage(String command, PrintStream err, String message) {
    err.println(command + " check-compat: " + message);
    err.println("Try '" + command + " check-compat --help' for more information.");
    return 2;
  }
}
