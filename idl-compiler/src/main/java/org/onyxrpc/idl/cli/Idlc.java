package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.IdlCompiler;

/**
 * {@code idlc [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE...}:
 * compiles {@code .idl} and {@code .x} files to Java sources outside Maven. Exit status 0 on
 * success (warnings may be printed), 1 when the input has errors, 2 on a usage or I/O error.
 */
public final class Idlc {
  static final String USAGE = """
      Usage: %1$s [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE...
             %1$s check-compat [--strict] [--verbose] OLD NEW   (see %1$s check-compat --help)
             %1$s from-java [-o OUT] FILE.java...               (see %1$s from-java --help)

      Compiles Onyx .idl files and rpcgen .x files (the ONC RPC language of RFC 5531
      section 12, run through the C preprocessor as rpcgen runs it) into Java sources:
      records, enums and sealed interfaces with XDR codecs, and per service version a
      holder class with sync and async interfaces, client stubs and a server binding.
      A .x file has no package, so its Java is in the default package; to give it one,
      compile a .idl of two lines, 'package com.example;' and '#include <file.x>', with
      -I naming the .x file's directory.

      Options:
        -o, --output DIR    write Java sources under DIR (default: current directory)
        -I, --include DIR   also look for imports and #include files in DIR (repeatable;
                            an import and #include "f" look beside the including file first)
        -D NAME[=VALUE]     define a preprocessor macro (VALUE defaults to 1; repeatable)
        -U NAME             undefine a predefined macro: RPC_HDR, RPC_XDR, RPC_CLNT, RPC_SVC
        --prelude FILE      read FILE before each input file, whose names they then see,
                            for declarations a .x file takes from C headers (repeatable)
        --version           print the version and exit
        -h, --help          print this help and exit

      Diagnostics are printed as file:line:col: error: message, all in one run.
      Exit status: 0 success, 1 errors in the input, 2 usage or I/O error.
      """;

  private Idlc() {}

  /** Runs idlc and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, Path.of(""), System.out, System.err));
  }

  /** A usage mistake: one line, then the hint to --help. */
  private static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Runs idlc with {@code cwd} as the base for relative paths and diagnostics; returns the status. */
  public static int run(String[] args, Path cwd, PrintStream out, PrintStream err) {
    return run("idlc", args, cwd, out, err);
  }

  /**
   * Runs idlc as {@code command}, the name its usage and messages give it (e.g. "onyx compile"
   * when another tool hands its arguments on); otherwise as {@link #run(String[], Path,
   * PrintStream, PrintStream)}.
   */
  public static int run(String command, String[] args, Path cwd, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("check-compat")) {
      return CheckCompatCommand.run(command, List.of(args).subList(1, args.length), cwd, out, err);
    }
    if (args.length > 0 && args[0].equals("from-java")) {
      return FromJavaCommand.run(command, List.of(args).subList(1, args.length), cwd, out, err);
    }
    Path output = cwd;
    List<Path> includes = new ArrayList<>();
    Map<String, String> defines = new LinkedHashMap<>();
    List<String> undefines = new ArrayList<>();
    List<Path> preludes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-h", "--help" -> {
            out.print(USAGE.formatted(command));
            return 0;
          }
          case "--version" -> {
            out.println(command + " " + version());
            return 0;
          }
          case "-o", "--output" -> output = cwd.resolve(value(args, ++i, arg, "a directory"));
          case "-I", "--include" -> includes.add(cwd.resolve(value(args, ++i, arg, "a directory")));
          case "-D" -> define(value(args, ++i, arg, "NAME[=VALUE]"), defines);
          case "-U" -> undefines.add(macroName(value(args, ++i, arg, "a macro name")));
          case "--prelude" -> preludes.add(cwd.resolve(value(args, ++i, arg, "a file")));
          default -> {
            if (arg.startsWith("-I") && arg.length() > 2) {
              includes.add(cwd.resolve(arg.substring(2)));
            } else if (arg.startsWith("-D") && arg.length() > 2) {
              define(arg.substring(2), defines);
            } else if (arg.startsWith("-U") && arg.length() > 2) {
              undefines.add(macroName(arg.substring(2)));
            } else if (arg.startsWith("-") && arg.length() > 1) {
              throw new UsageException("unknown option " + arg);
            } else {
              files.add(cwd.resolve(arg));
            }
          }
        }
      }
      if (files.isEmpty()) {
        throw new UsageException("no input files");
      }
    } catch (UsageException e) {
      err.println(command + ": " + e.getMessage());
      err.println("Try '" + command + " --help' for more information.");
      return 2;
    }
    for (Path file : concat(preludes, files)) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        err.println(command + ": cannot read " + shown(cwd, file) + ": "
            + (Files.isDirectory(file) ? "a directory (name the .idl and .x files in it)"
                : Files.exists(file) ? "permission denied" : "no such file"));
        return 2;
      }
    }
    IdlCompiler.Result result = IdlCompiler.compile(cwd,
        new CompilerOptions(includes, defines, undefines, preludes), files);
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
      err.println(command + ": cannot write output: " + e.getMessage());
      return 2;
    }
    return 0;
  }

  /**
   * A path as a message shows it: relative to the working directory when it is under it, else
   * absolute (as diagnostics show files), never climbing out with {@code ../..}.
   */
  static String shown(Path cwd, Path file) {
    Path base = cwd.toAbsolutePath().normalize();
    Path absolute = file.toAbsolutePath().normalize();
    String shown = (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString();
    return shown.isEmpty() ? "." : shown; // the current directory itself relativizes to ""
  }

  private static List<Path> concat(List<Path> first, List<Path> second) {
    List<Path> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static String value(String[] args, int at, String option, String what) throws UsageException {
    if (at >= args.length) {
      throw new UsageException(option + " needs " + what);
    }
    return args[at];
  }

  private static void define(String definition, Map<String, String> defines) throws UsageException {
    int equals = definition.indexOf('=');
    String name = macroName(equals < 0 ? definition : definition.substring(0, equals));
    defines.put(name, equals < 0 ? "1" : definition.substring(equals + 1));
  }

  private static String macroName(String name) throws UsageException {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UsageException("'" + name + "' is not a macro name");
    }
    return name;
  }

  static String version() {
    try (InputStream in = Idlc.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "(unknown version)");
    } catch (IOException e) {
      return "(unknown version)";
    }
  }
}
