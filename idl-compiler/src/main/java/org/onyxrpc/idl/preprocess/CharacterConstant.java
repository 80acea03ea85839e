package org.onyxrpc.idl.preprocess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The value cpp gives a character constant in {@code #if}: {@code 'A'}, and C's escapes ({@code
 * '\n'}, {@code '\x41'}, {@code '\101'}, {@code '\''}), of a signed {@code char} as on x86 Linux,
 * where rpcgen runs cpp ({@code '\377'} is -1); a multi-character constant ({@code 'ab'}) is an
 * {@code int} of its bytes, the first highest, as gcc computes it, with gcc's warnings.
 */
final class CharacterConstant {
  /** A constant's value, and gcc's warning about it or null. */
  record Value(long value, String warning) {}

  private CharacterConstant() {}

  /** The value of {@code token}, quotes included; null when it is not a character constant. */
  static Value value(String token) {
    String body = token.substring(1, token.length() - 1);
    List<Integer> bytes = new ArrayList<>();
    String warning = null;
    int i = 0;
    while (i < body.length()) {
      if (body.charAt(i) != '\\') {
        int end = body.offsetByCodePoints(i, 1);
        for (byte b : body.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          bytes.add(b & 0xff);  // a character beyond ASCII is its UTF-8 bytes, as gcc reads it
        }
        i = end;
        continue;
      }
      Escape escape = escape(body, i);
      if (escape == null) {
        return null;
      }
      if (escape.warning() != null) {
        warning = escape.warning();
      }
      bytes.add(escape.value());
      i = escape.end();
    }
    if (bytes.isEmpty()) {
      return null;
    }
    if (bytes.size() == 1) {
      return new Value((byte) (int) bytes.get(0), warning);  // a signed char, as on x86
    }
    int value = 0;  // an int: the last four bytes are kept, the first of them highest
    for (int b : bytes) {
      value = value << 8 | b;
    }
    return new Value(value, bytes.size() > 4
        ? "character constant too long for its type"
        : "multi-character character constant");
  }

  /** One escape sequence: its byte, where what follows it starts, and gcc's warning or null. */
  private record Escape(int value, int end, String warning) {}

  /** The escape sequence at {@code body}'s index {@code i} (a backslash); null if malformed. */
  private static Escape escape(String body, int i) {
    if (i + 1 >= body.length()) {
      return null;
    }
    char escape = body.charAt(i + 1);
    String warning = null;
    long value;
    int end;
    if (escape == 'x') {
      end = i + 2;
      while (end < body.length() && Character.digit(body.charAt(end), 16) >= 0) {
        end++;
      }
      if (end == i + 2) {
        return null;
      }
      String digits = body.substring(i + 2, end).replaceFirst("^0+(?=.)", "");
      value = digits.length() > 2 ? 0x100 : Long.parseLong(digits, 16);
      if (value > 0xff) {
        warning = "hex escape sequence out of range";
        value = Long.parseLong(digits.substring(digits.length() - 2), 16);
      }
    } else if (escape >= '0' && escape <= '7') {
      end = i + 1;
      while (end < body.length() && end < i + 4 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
        end++;
      }
      value = Long.parseLong(body.substring(i + 1, end), 8);
      if (value > 0xff) {
        warning = "octal escape sequence out of range";
      }
    } else {
      end = i + 2;
      int at = "abefnrtv".indexOf(escape);
      value = at >= 0 ? new long[] {7, 8, 27, 12, 10, 13, 9, 11}[at] : escape;
    }
    return new Escape((int) (value & 0xff), end, warning);
  }
}
