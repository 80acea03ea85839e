package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.onyxrpc.idl.IdlCompiler;
import org.onyxrpc.idl.parser.Spelling;
import org.onyxrpc.idl.source.CompilerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** idlc's own command: compiles the files named to Java sources. */
@Command(name = "idlc", sortOptions = false, usageHelpWidth = 100, separator = " ",
    customSynopsis = "${COMMAND-FULL-NAME} [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE...",
    description = {"",
      "Compiles Onyx .idl files and rpcgen .x files (the ONC RPC language of RFC 5531 section 12, run"
          + " through the C preprocessor as rpcgen runs it) into Java sources: records, enums and sealed"
          + " interfaces with XDR codecs, and per service version a holder class with sync and async"
          + " interfaces, client stubs and a server binding.",
      "",
      "A .x file has no package, so its Java is in the default package; to give it one, compile a .idl"
          + " of two lines, 'package com.example;' and '#include <file.x>', with -I naming the .x file's"
          + " directory."},
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands (${COMMAND-FULL-NAME} COMMAND --help for each):%n",
    footer = {"",
      "Diagnostics are printed as file:line:col: error: message, all in one run.",
      "Exit status: 0 success, 1 errors in the input, 2 usage or I/O error."})
final class IdlcCommand implements Callable<Integer> {
  private final Path cwd;

  @Spec CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "write Java sources under DIR (default: current directory)")
  Path output;

  @Option(names = {"-I", "--include"}, paramLabel = "DIR",
      description = "also look for imports and #include files in DIR (repeatable; an import and"
          + " #include \"f\" look beside the including file first)")
  List<Path> includes = new ArrayList<>();

  @Option(names = "-D", paramLabel = "NAME[=VALUE]",
      description = "define a preprocessor macro (VALUE defaults to 1; repeatable); NAME may have"
          + " parameters, as cpp's -D 'F(x)=x' takes them")
  List<String> defines = new ArrayList<>();

  @Option(names = "-U", paramLabel = "NAME",
      description = "undefine a predefined macro: RPC_HDR, RPC_XDR, RPC_CLNT, RPC_SVC, or one of"
          + " Linux's that cpp defines (__linux__, linux, __unix__, unix, __STDC__, ...)")
  List<String> undefines = new ArrayList<>();

  @Option(names = "--prelude", paramLabel = "FILE",
      description = "read FILE before each input file, whose names they then see, for declarations"
          + " a .x file takes from C headers (repeatable)")
  List<Path> preludes = new ArrayList<>();

  @Option(names = "--version", versionHelp = true, description = "print the version and exit")
  boolean version;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  boolean help;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "the .idl, .x and .rpcl files to compile")
  List<Path> files = new ArrayList<>();

  IdlcCommand(Path cwd) {
    this.cwd = cwd;
  }

  /**
   * For a missing first input named like one of idlc's commands ({@code idlc chek-compat OLD
   * NEW}), which picocli takes for a file: which command was meant; else "".
   */
  private String command(Path file) {
    if (files.isEmpty() || !cwd.resolve(files.get(0)).equals(file) || Files.exists(file)) {
      return "";
    }
    String meant = Spelling.nearest(files.get(0).toString(), spec.subcommands().keySet());
    return meant == null ? "" : " (did you mean the command '" + meant + "'?)";
  }

  @Override
  public Integer call() {
    if (files.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no input files");
    }
    Map<String, String> macros = new LinkedHashMap<>();
    for (String definition : defines) {
      int equals = definition.indexOf('=');
      macros.put(definedName(equals < 0 ? definition : definition.substring(0, equals)),
          equals < 0 ? "1" : definition.substring(equals + 1));
    }
    List<String> undefined = undefines.stream().map(this::macroName).toList();
    List<Path> preludeFiles = resolved(preludes);
    List<Path> inputs = resolved(files);
    PrintWriter err = spec.commandLine().getErr();
    for (Path file : Stream.concat(preludeFiles.stream(), inputs.stream()).toList()) {
      String unreadable = InputFiles.unreadable(cwd, file, "the .idl, .x and .rpcl files");
      if (unreadable != null && preludeFiles.contains(file)) {
        // Named as the prelude: its name may be nowhere else on the command line (a build's).
        unreadable = unreadable.replaceFirst("^cannot read ", "cannot read prelude ");
      }
      if (unreadable != null) {
        err.println(spec.qualifiedName() + ": " + unreadable + command(file));
        return Idlc.USAGE;
      }
    }
    for (Path dir : resolved(includes)) {
      // cpp says nothing of a missing -I directory unless asked (-Wmissing-include-dirs), and a
      // mistyped one then shows only as an import not found, if one is; javac's -Xlint:path warns.
      String missing = InputFiles.notAnIncludeDirectory(cwd, dir);
      if (missing != null) {
        err.println(spec.qualifiedName() + ": warning: " + missing);
      }
    }
    IdlCompiler.Result result = IdlCompiler.compile(cwd,
        new CompilerOptions(resolved(includes), macros, undefined, preludeFiles), inputs);
    err.print(result.diagnostics().format());
    if (!result.succeeded()) {
      return 1;
    }
    if (result.sources().isEmpty()) {
      // Exit 0 with nothing written and nothing said left the user looking for the Java.
      err.println(spec.qualifiedName() + ": warning: "
          + String.join(", ", inputs.stream().map(file -> Idlc.shown(cwd, file)).toList())
          + ": nothing declared, so no Java written");
      return 0;
    }
    Path out = output == null ? cwd : cwd.resolve(output);
    try {
      for (IdlCompiler.GeneratedSource source : result.sources()) {
        Path target = out.resolve(source.path()).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, source.content(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      err.println(spec.qualifiedName() + ": cannot write output: " + why(e));
      return Idlc.USAGE;
    }
    return 0;
  }

  /** The path and the reason: NIO's exceptions for the commonest failures carry only the path. */
  private String why(IOException e) {
    if (!(e instanceof FileSystemException failed) || failed.getFile() == null) {
      return e.getMessage();
    }
    Path inTheWay = fileInTheWay(Path.of(failed.getFile()));
    if (inTheWay != null) {
      // Not the OS's "gen/p: Not a directory" for the package's directory, but the file that is in its way.
      return Idlc.shown(cwd, inTheWay) + ": a file where a directory is needed";
    }
    String reason = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "no such file or directory"
        : e instanceof FileAlreadyExistsException ? "a file where a directory is needed"
        : failed.getReason() != null ? failed.getReason()
        : e.getClass().getSimpleName();
    return Idlc.shown(cwd, Path.of(failed.getFile())) + ": " + reason;
  }

  /** The nearest of {@code path} and its parents that exists, if it is not a directory; else null. */
  private static Path fileInTheWay(Path path) {
    for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
  }

  private List<Path> resolved(List<Path> paths) {
    return paths.stream().map(cwd::resolve).toList();
  }

  private String macroName(String name) {
    return checkedName(name, "[A-Za-z_][A-Za-z0-9_]*");
  }

  /** A -D's name: a macro name, or one with its parameters ('F(x, y)'), as cpp's -D takes it. */
  private String definedName(String name) {
    return checkedName(name, "[A-Za-z_][A-Za-z0-9_]*(\\(\\s*(([A-Za-z_][A-Za-z0-9_]*|\\.\\.\\.)"
        + "(\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*|\\.\\.\\.))*)?\\s*\\))?");
  }

  private String checkedName(String name, String pattern) {
    if (!name.matches(pattern)) {
      throw new ParameterException(spec.commandLine(), "'" + name + "' is not a macro name");
    }
    return name;
  }
}
