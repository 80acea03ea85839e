package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any text as the arguments users type: {@code HOST[:PORT]|unix:PATH} is a target or an {@link
 * IllegalArgumentException} saying what is wrong, and a target prints as text that parses back to
 * it (the form error messages show); {@code PROGRAM} is a number only when written as one in
 * ASCII (decimal, or 0x hex) and within 0..2^32-1, a name only when it does not start with a
 * digit, else refused. Corpus: {@code
 * src/test/resources/org/onyxrpc/cli/command/ArgumentsFuzzTestInputs}.
 */
class ArgumentsFuzzTest {
  @FuzzTest
  void target(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Target target;
    try {
      target = Target.parse(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertEquals(target, Target.parse(target.toString()), "prints as it parses: " + target);
    assertTrue(target.isUnixSocket() || target.port() >= 0 && target.port() <= 0xFFFF);
  }

  @FuzzTest
  void program(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Long number;
    try {
      number = PingCommand.number(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    if (number == null) {
      assertTrue(text.isEmpty() || !(text.charAt(0) >= '0' && text.charAt(0) <= '9'), "a name: " + text);
      return;
    }
    assertTrue(number >= 0 && number <= 0xFFFF_FFFFL);
    assertTrue(text.matches("[0-9]+|0[xX][0-9a-fA-F]+"), "a number as written: " + text);
    long written = text.startsWith("0x") || text.startsWith("0X")
        ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
    assertEquals(written, (long) number);
  }
}
