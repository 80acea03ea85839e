package org.onyxrpc.idl.preprocess;

/**
 * The lines of the words of a macro call whose arguments go on past its name's line ({@link
 * PendingCall}): each word there is preceded by its line, in decimal between two {@link #TAG}s,
 * which {@link Macros} reads as it expands the arguments, so that {@code __LINE__} in an argument
 * is the argument's line, and in the body of a macro called there that macro's name's line, as
 * cpp gives them; {@code #} and {@code ##} take the arguments untagged.
 */
final class LineTags {
  private LineTags() {}

  /** Written before and after a word's line; no character of RPCL text. */
  static final char TAG = '\u0002';

  /** {@code line}, of line {@code number}, with each word outside literals tagged so. */
  static String lineTagged(String line, int number) {
    StringBuilder out = new StringBuilder(line.length() + 16);
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Macros.isQuote(c)) {
        int end = Macros.closingQuote(line, i);
        out.append(line, i, end);
        i = end;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int end = Macros.wordEnd(line, i);
        if (!Character.isDigit(c)) {
          out.append(TAG).append(number).append(TAG);
        }
        out.append(line, i, end);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * The index after the tag that starts at {@code start} of {@code text}, or -1 when no tag
   * does (a stray control character of the file's).
   */
  static int end(String text, int start) {
    int i = start + 1;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i > start + 1 && i < text.length() && text.charAt(i) == TAG ? i + 1 : -1;
  }

  /** {@code text} without its line tags: an argument as written, for # and ##. */
  static String untagged(String text) {
    if (text.indexOf(TAG) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int tag = text.indexOf(TAG, i);
      if (tag < 0) {
        out.append(text, i, text.length());
        break;
      }
      int end = end(text, tag);
      out.append(text, i, end < 0 ? tag + 1 : tag);
      i = end < 0 ? tag + 1 : end;
    }
    return out.toString();
  }
}
