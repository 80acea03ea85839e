package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import picocli.CommandLine.ParseResult;

/**
 * The systemd unit the distribution carries for {@code onyx directory}
 * ({@code src/main/systemd/onyx-directory.service}, {@code systemd/} in the tar.gz) runs a
 * command line {@code onyx} takes, and counts as a clean stop the status the command exits
 * with on SIGTERM (143, as its help says): before, cli/README said the directory stops with 143
 * on {@code systemctl stop} but gave no unit, and one written without
 * {@code SuccessExitStatus=143} shows every stop as failed.
 */
class DirectoryUnitTest {
  private static final Path UNIT = Path.of("src/main/systemd/onyx-directory.service");

  @Test
  void execStartIsACommandLineOfOnyxDirectory() throws Exception {
    List<String> words = Arrays.asList(setting("ExecStart").split(" "));
    assertTrue(words.get(0).endsWith("/bin/onyx"), words.get(0));
    ParseResult parsed = Onyx.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    assertEquals("directory", parsed.subcommand().commandSpec().name());
  }

  @Test
  void sigtermsExitStatusIsASuccessOfTheUnit() throws Exception {
    String help = onyx("directory", "--help").out();
    Matcher sigterm = Pattern.compile("(?m)^\\s+(\\d+)\\s+stopped by SIGTERM$").matcher(help);
    assertTrue(sigterm.find(), help);
    assertTrue(Arrays.asList(setting("SuccessExitStatus").split(" ")).contains(sigterm.group(1)),
        "SuccessExitStatus " + setting("SuccessExitStatus") + " leaves out " + sigterm.group(1));
    assertTrue(Files.readString(Path.of("README.md"))
        .contains("<!-- from cli/src/main/systemd/onyx-directory.service -->"), "cli/README.md does not show the unit");
  }

  private static String setting(String key) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(Files.readString(UNIT));
    assertTrue(m.find(), UNIT + " has no " + key);
    return m.group(1).strip();
  }
}
