package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The values {@code source <(onyx generate-completion)} offers for an option are the ones its
 * --help and cli/README.md write: {@code --semantics} offered MAYBE AT_LEAST_ONCE AT_MOST_ONCE,
 * the enum's names, where the help says maybe|at_least_once|at_most_once.
 */
class CompletionCandidatesTest {
  private static final Pattern VALUES = Pattern.compile("_option_args=\\(([^)]*)\\) # (--[a-z-]+) values");

  @Test
  void everyOptionsValuesAreOfferedAsItsHelpWritesThem() {
    String script = AutoComplete.bash("onyx", Onyx.commandLine());
    Matcher m = VALUES.matcher(script);
    int semantics = 0;
    while (m.find()) {
      String values = m.group(1);
      assertEquals(values.toLowerCase(java.util.Locale.ROOT), values, m.group(2) + " offers " + values);
      if (m.group(2).equals("--semantics")) {
        semantics++;
        assertEquals("\"maybe\" \"at_least_once\" \"at_most_once\"", values);
      }
    }
    assertEquals(1, semantics, "call's --semantics offers its values");
    assertTrue(List.of(script.split("\n")).stream().anyMatch(l -> l.contains("\"tcp\" \"udp\" \"unix\"")), "--transport");
  }

  /**
   * {@code onyx help <TAB>} offers onyx's commands, as {@code onyx <TAB>} does: before, its words
   * had no candidates, and bash offered the current directory's files.
   */
  @Test
  void helpOffersTheCommands() {
    CommandLine onyx = Onyx.commandLine();
    String script = AutoComplete.bash("onyx", onyx);
    String names = onyx.getSubcommands().keySet().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" "));
    String help = script.substring(script.indexOf("function _picocli_onyx_help()"));
    help = help.substring(0, help.indexOf("\n}\n"));
    assertTrue(help.contains("_pos_param_args=(" + names + ")"), help);
    assertTrue(names.contains("\"mq\"") && names.contains("\"compile\""), names);
  }
}
