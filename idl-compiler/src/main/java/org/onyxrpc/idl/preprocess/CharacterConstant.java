package org.onyxrpc.idl.preprocess;

/**
 * The value cpp gives a character constant in {@code #if}: {@code 'A'}, and C's escapes ({@code
 * '\n'}, {@code '\x41'}, {@code '\101'}, {@code '\''}), of a signed {@code char} as on x86 Linux,
 * where rpcgen runs cpp ({@code '\377'} is -1).
 */
final class CharacterConstant {
  private CharacterConstant() {}

  /** The value of {@code token}, quotes included; null when it is not one character. */
  static Long value(String token) {
    String body = token.substring(1, token.length() - 1);
    if (body.isEmpty()) {
      return null;
    }
    if (body.charAt(0) != '\\') {
      return body.length() == 1 ? (long) body.charAt(0) : null;
    }
    if (body.length() < 2) {
      return null;
    }
    char escape = body.charAt(1);
    long value;
    int end;
    if (escape == 'x') {
      end = 2;
      while (end < body.length() && Character.digit(body.charAt(end), 16) >= 0) {
        end++;
      }
      if (end == 2) {
        return null;
      }
      value = Long.parseLong(body.substring(2, end), 16);
    } else if (escape >= '0' && escape <= '7') {
      end = 1;
      while (end < body.length() && end < 4 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
        end++;
      }
      value = Long.parseLong(body.substring(1, end), 8);
    } else {
      end = 2;
      int at = "abefnrtv".indexOf(escape);
      value = at >= 0 ? new long[] {7, 8, 27, 12, 10, 13, 9, 11}[at] : escape;
    }
    if (end != body.length()) {
      return null;
    }
    return (long) (byte) value;  // a signed char: '\377' is -1, as gcc's cpp reads it on x86
  }
}
