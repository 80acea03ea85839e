package org.onyxrpc.idl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code idlc [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE...}:
 * compiles {@code .idl} and {@code .x} files to Java sources outside Maven; {@code idlc
 * check-compat} and {@code idlc from-java} are its two other commands. Exit status 0 on success
 * (warnings may be printed), 1 when the input has errors, 2 on a usage or I/O error.
 */
public final class Idlc {
  /** The status of a command line that does not parse, or of an input that cannot be read. */
  static final int USAGE = 2;

  private Idlc() {}

  /**
   * Runs idlc and exits with its status.
   *
   * @param args the options and files {@code idlc --help} lists
   */
  public static void main(String[] args) {
    System.exit(run(args, Path.of(""), System.out, System.err));
  }

  /**
   * Runs idlc with {@code cwd} as the base for relative paths and diagnostics.
   *
   * @param args the options and files {@code idlc --help} lists
   * @param cwd the directory relative paths are resolved against and diagnostics are shown from
   * @param out where help and reports go
   * @param err where diagnostics and usage errors go
   * @return the exit status
   */
  public static int run(String[] args, Path cwd, PrintStream out, PrintStream err) {
    return run("idlc", args, cwd, out, err);
  }

  /**
   * Runs idlc as {@code command}, the name its usage and messages give it (e.g. "onyx compile"
   * when another tool hands its arguments on); otherwise as {@link #run(String[], Path,
   * PrintStream, PrintStream)}.
   *
   * @param command the name idlc's usage and messages show
   * @param args the options and files {@code idlc --help} lists
   * @param cwd the directory relative paths are resolved against and diagnostics are shown from
   * @param out where help and reports go
   * @param err where diagnostics and usage errors go
   * @return the exit status
   */
  public static int run(String command, String[] args, Path cwd, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine cl = new CommandLine(new IdlcCommand(cwd))
        .addSubcommand(new CheckCompatCommand(cwd))
        .addSubcommand(new FromJavaCommand(cwd))
        .setCommandName(command)
        .setOut(outWriter)
        .setErr(errWriter)
        .setExpandAtFiles(false) // an argument starting with @ is a file name, as for rpcgen
        .setParameterExceptionHandler(Idlc::badCommandLine);
    cl.getCommandSpec().version(command + " " + version());
    try {
      return cl.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /**
   * A command line that does not parse, told as idlc and onyx tell it: what is wrong and where to
   * read more, not the whole usage (which {@code --help} shows).
   *
   * @param e what picocli found wrong
   * @param args the arguments as given
   * @return 2, the status of a usage error
   */
  public static int badCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    if (e instanceof CommandLine.MissingParameterException && !cl.getUnmatchedArguments().isEmpty()) {
      // picocli checks required parameters first: "onyx list --jsn" would say "Missing required
      // parameter: 'HOST'", and nothing of the option it did not know, which is the mistake.
      e = new CommandLine.UnmatchedArgumentException(cl, cl.getUnmatchedArguments());
    }
    err.println(name + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    if (cl.getCommand() instanceof IdlcCommand) {
      for (String hint : RpcgenOptions.hints(cl.getUnmatchedArguments())) {
        err.println(name + ": " + hint);
      }
    }
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return USAGE;
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
