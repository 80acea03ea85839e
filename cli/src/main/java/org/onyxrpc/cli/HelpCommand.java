package org.onyxrpc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.cli.command.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code onyx help [COMMAND [SUBCOMMAND]]}: what {@code onyx COMMAND [SUBCOMMAND] --help} prints,
 * by running it. picocli's own help command read only the first word, so {@code onyx help mq
 * list} printed {@code mq}'s usage, and it printed a command's picocli usage, so {@code onyx
 * help compile} gave a line where {@code onyx compile --help} gives idlc's options.
 */
@Command(name = "help", helpCommand = true,
    description = "Shows a command's help, as COMMAND --help does (onyx help mq list, onyx help compile check-compat).")
public final class HelpCommand implements Callable<Integer> {
  /** Picocli makes one per run. */
  public HelpCommand() {}

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand.")
  List<String> command = new ArrayList<>();

  /**
   * Prints the usage of the command named, or onyx's when none is.
   *
   * @return the status of {@code COMMAND --help}: 0, or 2 for a command onyx does not have
   */
  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    if (command.isEmpty()) {
      root.usage(root.getOut());
      return 0;
    }
    CommandLine run = Onyx.commandLine();
    run.setOut(root.getOut());
    run.setErr(root.getErr());
    CommandLine at = root;
    for (int i = 0; i < command.size() && !at.getCommandName().equals("compile"); i++) { // idlc's are its own
      CommandLine sub = at.getSubcommands().get(command.get(i));
      if (sub == null && i == 0) {
        return run.execute(command.get(0)); // onyx's own words for what is no command, and its nearest
      }
      if (sub == null) {
        String path = at.getCommandSpec().qualifiedName();
        root.getErr().println("onyx help: " + path + " has no command '" + command.get(i) + "': " + path
            + " --help lists its own");
        return ExitCodes.USAGE;
      }
      at = sub;
    }
    List<String> args = new ArrayList<>(command);
    args.add("--help");
    return run.execute(args.toArray(String[]::new));
  }
}
