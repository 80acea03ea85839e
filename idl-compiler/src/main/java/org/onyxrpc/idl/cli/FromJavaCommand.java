package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.idl.fromjava.JavaToIdl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code idlc from-java [-o OUT] FILE.java...}. */
@Command(name = "from-java", sortOptions = false, usageHelpWidth = 100, separator = " ",
    customSynopsis = "${COMMAND-FULL-NAME} [-o OUT] FILE.java...",
    descriptionHeading = "%n", description = {"Writes the .idl of existing Java types.", "",
      "One .idl file per Java package, as OUT/com/example/catalog/catalog.idl for the package",
      "com.example.catalog.",
      "",
      "An interface becomes a service with one version, a record a struct, an enum an enum, a sealed interface whose permitted types are records"
          + " nested in it a union, a class extending Exception an exception. Compiled by idlc, the"
          + " .idl gives back Java of the same shape.",
      "",
      "Wire numbers never depend on the order of declarations unless you say so: @Procedure(N) on"
          + " each method, @Value(N) on each enum constant, @Case(N) on each record of a sealed"
          + " interface, or @NumberedInOrder on the interface, enum or sealed interface. Also read (by"
          + " simple name, declare them anywhere): @Program(N), @Version(N), @Idempotent, @Oneway,"
          + " @Size(max = N), @Nullable."},
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n",
    footer = {"", "Exit status: 0 success, 1 a type that cannot be mapped (File.java:line:col: error:), 2 usage"
        + " or I/O error."})
final class FromJavaCommand implements Callable<Integer> {
  private final Path cwd;

  @Spec CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "write .idl files under DIR (default: current directory)")
  Path output;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  boolean help;

  @Parameters(paramLabel = "FILE.java", arity = "0..*", description = "the Java sources to read")
  List<Path> files = new ArrayList<>();

  FromJavaCommand(Path cwd) {
    this.cwd = cwd;
  }

  @Override
  public Integer call() {
    if (files.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no input files");
    }
    PrintWriter err = spec.commandLine().getErr();
    String idlc = spec.parent().qualifiedName();
    List<Path> sources = files.stream().map(cwd::resolve).toList();
    for (Path file : sources) {
      if (!Files.isRegularFile(file)) {
        err.println(idlc + ": cannot read " + Idlc.shown(cwd, file) + ": no such file");
        return Idlc.USAGE;
      }
    }
    Path out = output == null ? cwd : cwd.resolve(output);
    try {
      JavaToIdl.Result result = JavaToIdl.convert(cwd, sources);
      err.print(result.diagnostics().format());
      if (!result.succeeded()) {
        return 1;
      }
      for (JavaToIdl.IdlFile file : result.files()) {
        Path target = out.resolve(file.path());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.content(), StandardCharsets.UTF_8);
      }
      return 0;
    } catch (IOException e) {
      err.println(idlc + ": " + e.getMessage());
      return Idlc.USAGE;
    }
  }
}
