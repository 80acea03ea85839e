package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import picocli.CommandLine.ParseResult;

/**
 * cli/README's Kubernetes probe is a command line {@code onyx ping} takes, and its own
 * {@code --timeout}, with the JVM's start (3 to 5 s on a busy machine, as the README says), ends
 * within the probe's {@code timeoutSeconds}: a server that does not answer is then told by
 * onyx's TIMEOUT and exit status 4, not by Kubernetes killing the probe. Before, the probe gave
 * no {@code --timeout}, so ping's default, 10 s, equalled {@code timeoutSeconds: 10}.
 */
class HealthProbeTest {
  private static final Duration JVM_START = Duration.ofSeconds(5);

  @Test
  void theProbesOwnTimeoutEndsWithinTimeoutSeconds() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher probe = Pattern.compile("readinessProbe:\\n  exec:\\n    command: \\[(.*)]\\n(?:  \\w+: \\d+\\n)*?"
        + "  timeoutSeconds: (\\d+)\\n").matcher(readme);
    assertTrue(probe.find(), "no readinessProbe with timeoutSeconds in cli/README.md");
    List<String> command = Arrays.stream(probe.group(1).split(",")).map(String::strip)
        .map(s -> s.substring(1, s.length() - 1)).toList();
    assertEquals("onyx", command.get(0));
    ParseResult parsed = Onyx.commandLine().parseArgs(command.subList(1, command.size()).toArray(String[]::new));
    ParseResult ping = parsed.subcommand();
    assertEquals("ping", ping.commandSpec().name());
    assertTrue(ping.hasMatchedOption("--timeout"), "the probe leaves --timeout at its default: " + command);
    Duration timeout = ping.matchedOptionValue("--timeout", Duration.ZERO);
    Duration allowed = Duration.ofSeconds(Long.parseLong(probe.group(2)));
    assertTrue(timeout.plus(JVM_START).compareTo(allowed) <= 0,
        "--timeout " + timeout + " and the JVM's start pass timeoutSeconds " + allowed);
  }
}
