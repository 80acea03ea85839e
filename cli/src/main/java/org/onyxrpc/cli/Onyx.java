package org.onyxrpc.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.onyxrpc.cli.command.BadCommandLine;
import org.onyxrpc.cli.command.CallCommand;
import org.onyxrpc.cli.command.ClientOptions;
import org.onyxrpc.cli.command.CompileCommand;
import org.onyxrpc.cli.command.DescribeCommand;
import org.onyxrpc.cli.command.DirectoryCommand;
import org.onyxrpc.cli.command.ExitCodes;
import org.onyxrpc.cli.command.ListCommand;
import org.onyxrpc.cli.command.MqCommand;
import org.onyxrpc.cli.command.PingCommand;
import org.onyxrpc.cli.command.WatchCommand;
import org.onyxrpc.cli.json.JsonValueException;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.idl.cli.Idlc;
import org.onyxrpc.internal.RateLimitedLog;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code onyx}: call any ONC RPC service with JSON, list, watch and ping services, describe an IDL, run
 * the directory, compile IDL. One process per command; every failure is one line on stderr (or
 * a JSON outcome on stdout) and an exit status from {@link ExitCodes}, never a stack trace.
 */
@Command(name = "onyx", mixinStandardHelpOptions = true, versionProvider = OnyxVersion.class,
    description = "Calls and inspects ONC RPC services (Onyx or rpcgen/libtirpc) from the command line.",
    subcommands = {
      CallCommand.class, ListCommand.class, WatchCommand.class, PingCommand.class, DescribeCommand.class,
      DirectoryCommand.class, MqCommand.class, CompileCommand.class, AutoComplete.GenerateCompletion.class,
      HelpCommand.class})
public final class Onyx implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public Onyx() {}

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs a command and exits with its status.
   *
   * @param args a command and its options, as {@code onyx --help} lists them
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command on this process's standard streams; returns the exit status.
   *
   * @param args a command and its options, as {@code onyx --help} lists them
   * @return 0 on success, else one of {@link ExitCodes}
   */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line with onyx's error handling: messages, not stack traces.
   *
   * @return a new command line, for tests and tools that set their own streams before running it
   */

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Onyx());
    cl.setExpandAtFiles(false); // -d @file is ours: JSON, not an argument file
    cl.setExecutionExceptionHandler(Onyx::failed);
    cl.setParameterExceptionHandler(Onyx::badCommandLine);
    ClientOptions.describeTransportPerCommand(cl);
    cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    // onyx help <TAB> offers the commands, as onyx <TAB> does: its words had no candidates.
    CommandLine.Model.CommandSpec help = cl.getSubcommands().get("help").getCommandSpec();
    CommandLine.Model.PositionalParamSpec words = help.positionalParameters().get(0);
    help.remove(words);
    help.addPositional(words.toBuilder().completionCandidates(List.copyOf(cl.getSubcommands().keySet())).build());
    // picocli prints a subcommand's own version, none unless given one: without this, the
    // -V and --version that each command's usage offers printed nothing and exited 0.
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().versionProvider(new OnyxVersion());
      }
    }
    return cl;
  }

  /** No command: the usage, on stderr, and the status of a bad command line, as for a mistyped one. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /**
   * A bad command line as idlc tells it (one line, then --help), except {@code onyx health}: the
   * health service is asked by {@code ping}, and picocli's suggestion for it was "onyx help".
   */
  private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine root = e.getCommandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    boolean notACommand = args.length > 0 && !args[0].startsWith("-")
        && root.getUnmatchedArguments().contains(args[0]);
    if (!notACommand) {
      return notASubcommand(e) ? ExitCodes.USAGE : Idlc.badCommandLine(e, args);
    }
    // Before: "Unmatched argument at index 0: 'bogus'", which says nothing of commands; and
    // "onyx bogus list" told of list's missing HOST, past the word that was wrong.
    PrintWriter err = root.getErr();
    err.println("onyx: '" + args[0] + "' is not an onyx command");
    if (args[0].equals("health")) { // picocli's nearest name for it is "help"
      err.println("onyx: a server's health service is asked with: onyx ping HOST[:PORT] PROGRAM|NAME --health");
    } else if (args[0].equals("check-compat") || args[0].equals("from-java")) {
      // idlc's subcommands, which idl-compiler/README.md names; picocli's nearest was "onyx compile"
      // alone, whose help does not list them
      err.println("onyx: idlc's " + args[0] + " is run as: onyx compile " + args[0]
          + (args[0].equals("check-compat") ? " [--strict] [--verbose] [-I DIR]... OLD NEW" : " ...")
          + " (onyx compile " + args[0] + " --help)");
    } else {
      List<String> nearest = new CommandLine.UnmatchedArgumentException(root, List.of(args[0])).getSuggestions();
      if (!nearest.isEmpty()) {
        err.println("Did you mean: onyx " + nearest.get(0) + "?");
      }
    }
    err.println("onyx: the commands are " + String.join(", ", root.getSubcommands().keySet()));
    err.println("Try 'onyx --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * "onyx mq lsit": the first word a command with subcommands does not take, when it is no
   * option, said to be none of them, with the nearest if picocli finds one (it finds none for a
   * transposition) and the subcommands listed. Before: "Unmatched argument at index 1: 'lsit'",
   * which named no subcommand. False, with nothing printed, for any other mistake.
   */
  private static boolean notASubcommand(CommandLine.ParameterException e) {
    CommandLine cl = e.getCommandLine();
    Set<String> subcommands = cl.getSubcommands().keySet();
    if (!(e instanceof CommandLine.UnmatchedArgumentException) || subcommands.isEmpty()
        || cl.getUnmatchedArguments().isEmpty() || cl.getUnmatchedArguments().get(0).startsWith("-")
        || !cl.getCommandSpec().positionalParameters().isEmpty()) {
      return false;
    }
    String word = cl.getUnmatchedArguments().get(0);
    String name = cl.getCommandSpec().qualifiedName();
    PrintWriter err = cl.getErr();
    err.println(name + ": '" + RateLimitedLog.escaped(word) + "' is not a subcommand of " + name);
    List<String> nearest = new CommandLine.UnmatchedArgumentException(cl, List.of(word)).getSuggestions();
    String sameLetters = subcommands.stream().filter(c -> sorted(c).equals(sorted(word))).findFirst().orElse(null);
    if (sameLetters != null || !nearest.isEmpty()) {
      err.println("Did you mean: " + name + " " + (sameLetters != null ? sameLetters : nearest.get(0)) + "?");
    }
    err.println(name + ": its subcommands are " + String.join(", ", subcommands));
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return true;
  }

  /** The letters of {@code word} in order: a subcommand with two letters swapped has the same. */
  private static String sorted(String word) {
    return word.chars().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    if (e instanceof IdlSchemas.IdlErrorsException) {
      err.print(e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    err.println(name + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
    if (e instanceof BadCommandLine) {
      // as picocli's own parse errors end (Idlc.badCommandLine): before, "port must be 1..65535"
      // and "--count must be 0 …" stopped at the one line while "Invalid value for option" went on
      err.println("Try '" + name + " --help' for more information.");
    }
    err.flush();
    return e instanceof IllegalArgumentException || e instanceof JsonValueException
        ? ExitCodes.USAGE : ExitCodes.FAILED;
  }
}
