package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.IdlCompiler;

/**
 * {@code idlc [-o OUT] [-I DIR]... FILE...}: compiles {@code .idl} files to Java sources outside
 * Maven. Exit status 0 on success (warnings may be printed), 1 when the input has errors, 2 on a
 * usage or output error.
 */
public final class Idlc {
  static final String USAGE = """
      Usage: idlc [-o OUT] [-I DIR]... FILE...

      Compiles Onyx .idl files (a superset of the ONC RPC language, RFC 5531 section 12)
      into Java sources: records, enums and sealed interfaces with XDR codecs, and per
      service version a holder class with sync and async interfaces, client stubs and a
      server binding.

      Options:
        -o, --output DIR    write Java sources under DIR (default: current directory)
        -I, --include DIR   also look for imported .idl files in DIR (repeatable;
                            an import is first looked up beside the importing file)
        -h, --help          print this help and exit

      Diagnostics are printed as file:line:col: error: message, all in one run.
      Exit status: 0 success, 1 errors in the input, 2 usage or I/O error.
      """;

  private Idlc() {}

  /** Runs idlc and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, Path.of(""), System.out, System.err));
  }

  /** Runs idlc with {@code cwd} as the base for relative paths and diagnostics; returns the status. */
  public static int run(String[] args, Path cwd, PrintStream out, PrintStream err) {
    Path output = cwd;
    List<Path> includes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "-o", "--output", "-I", "--include" -> {
          if (i + 1 == args.length) {
            err.println("idlc: " + arg + " needs a directory");
            err.print(USAGE);
            return 2;
          }
          Path dir = cwd.resolve(args[++i]);
          if (arg.startsWith("-o") || arg.equals("--output")) {
            output = dir;
          } else {
            includes.add(dir);
          }
        }
        default -> {
          if (arg.startsWith("-I") && arg.length() > 2) {
            includes.add(cwd.resolve(arg.substring(2)));
          } else if (arg.startsWith("-") && arg.length() > 1) {
            err.println("idlc: unknown option " + arg);
            err.print(USAGE);
            return 2;
          } else {
            files.add(cwd.resolve(arg));
          }
        }
      }
    }
    if (files.isEmpty()) {
      err.println("idlc: no input files");
      err.print(USAGE);
      return 2;
    }
    IdlCompiler.Result result = IdlCompiler.compile(cwd, includes, files);
    err.print(result.diagnostics().format());
    if (!result.succeeded()) {
      return 1;
    }
    try {
      for (IdlCompiler.GeneratedSource source : result.sources()) {
        Path target = output.resolve(source.path()).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, source.content(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      err.println("idlc: cannot write output: " + e.getMessage());
      return 2;
    }
    return 0;
  }
}
