package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.fromjava.JavaToIdl;

/** {@code idlc from-java [-o OUT] FILE.java...}. */
final class FromJavaCommand {
  static final String USAGE = """
      Usage: %1$s from-java [-o OUT] FILE.java...

      Writes the .idl of existing Java types, one file per Java package
      (OUT/com/example/catalog/catalog.idl): an interface becomes a service with one
      version, a record a struct, an enum an enum, a sealed interface whose permitted
      types are records nested in it a union, a class extending Exception an exception.
      Compiled by idlc, the .idl gives back Java of the same shape.

      Wire numbers never depend on the order of declarations unless you say so:
        @Procedure(N) on each method, @Value(N) on each enum constant, @Case(N) on each
        record of a sealed interface, or @NumberedInOrder on the interface, enum or
        sealed interface. Also read (by simple name, declare them anywhere):
        @Program(N), @Version(N), @Idempotent, @Oneway, @Size(max = N), @Nullable.

      Options:
        -o, --output DIR    write .idl files under DIR (default: current directory)
        -h, --help          print this help and exit

      Exit status: 0 success, 1 a type that cannot be mapped (File.java:line:col: error:),
      2 usage or I/O error.
      """;

  private FromJavaCommand() {}

  static int run(String command, List<String> args, Path cwd, PrintStream out, PrintStream err) {
    Path output = cwd;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> {
          out.print(USAGE.formatted(command));
          return 0;
        }
        case "-o", "--output" -> {
          if (++i >= args.size()) {
            return usage(command, err, arg + " needs a directory");
          }
          output = cwd.resolve(args.get(i));
        }
        default -> {
          if (arg.startsWith("-") && arg.length() > 1) {
            return usage(command, err, "unknown option " + arg);
          }
          files.add(cwd.resolve(arg));
        }
      }
    }
    if (files.isEmpty()) {
      return usage(command, err, "no input files");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        err.println(command + ": cannot read " + Idlc.shown(cwd, file)
            + ": no such file");
        return 2;
      }
    }
    try {
      JavaToIdl.Result result = JavaToIdl.convert(cwd, files);
      err.print(result.diagnostics().format());
      if (!result.succeeded()) {
        return 1;
      }
      for (JavaToIdl.IdlFile file : result.files()) {
        Path target = output.resolve(file.path());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.content(), StandardCharsets.UTF_8);
      }
      return 0;
    } catch (IOException e) {
      err.println(command + ": " + e.getMessage());
      return 2;
    }
  }

  private static int usage(String command, PrintStream err, String message) {
    err.println(command + " from-java: " + message);
    err.println("Try '" + command + " from-java --help' for more information.");
    return 2;
  }
}
