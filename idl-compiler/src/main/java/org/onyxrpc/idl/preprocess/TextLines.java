package org.onyxrpc.idl.preprocess;

import java.util.HashSet;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * The text lines of one preprocessor run, as they are emitted: comments (kept in RPCL text,
 * where doc comments become Javadoc; blanked in directives, {@code %} lines and skipped lines,
 * and followed from line to line) and macros replaced outside comments and string literals,
 * calls of function-like macros too, also those whose arguments go on over several lines
 * ({@link PendingCall}): the lines emitted meanwhile wait until the call's line is out.
 */
final class TextLines {
  /** Where a finished line goes: its text and the file and line it came from. */
  interface Output {
    void line(String text, String file, int number);
  }

  private enum Comment { NONE, KEPT, DROPPED }

  private final Macros macros;
  private final Diagnostics diagnostics;
  private final Output output;
  private Comment comment = Comment.NONE;
  private PendingCall pending;

  TextLines(Macros macros, Diagnostics diagnostics, Output output) {
    this.macros = macros;
    this.diagnostics = diagnostics;
    this.output = output;
  }

  /** True inside a comment that an earlier line opened. */
  boolean inComment() {
    return comment != Comment.NONE;
  }

  /** Emits a line, after the line of a macro call still open. */
  void emit(String line, String file, int number) {
    if (pending != null) {
      pending.defer(line, file, number);
      return;
    }
    output.line(line, file, number);
  }

  /**
   * The end of a file, at {@code end}: a macro call still open is an error, told there as cpp
   * tells it (a name that ended its line was no call), and a comment left open ends here.
   */
  void endOfFile(Location end) {
    if (pending != null) {
      PendingCall open = pending;
      if (!open.awaitingParenthesis()) {
        diagnostics.error(end, "the arguments of macro '" + open.name() + "' (called at "
            + open.at().line() + ":" + open.at().column() + ") do not end: no ')' before the end of the file");
      }
      flush(open, open.before() + open.name());
    }
    comment = Comment.NONE;
  }

  /**
   * {@code line} with comments replaced by spaces (columns kept), for directives, pass-through
   * and skipped lines. A comment left open continues on the next lines and is dropped there too,
   * since the parser never sees where it began.
   */
  String stripComments(String line) {
    StringBuilder out = new StringBuilder(line.length());
    int i = 0;
    while (i < line.length()) {
      if (comment != Comment.NONE) {
        int end = line.indexOf("*/", i);
        int stop = end < 0 ? line.length() : end + 2;
        out.append(" ".repeat(stop - i));
        if (end >= 0) {
          comment = Comment.NONE;
        }
        i = stop;
      } else if (line.startsWith("/*", i)) {
        comment = Comment.DROPPED;
      } else if (line.startsWith("//", i)) {
        out.append(" ".repeat(line.length() - i));
        break;
      } else if (line.charAt(i) == '"') {
        int end = Macros.closingQuote(line, i);
        out.append(line, i, end);
        i = end;
      } else {
        out.append(line.charAt(i++));
      }
    }
    return out.toString();
  }

  /**
   * Emits the RPCL lines {@code physical[from..to)}, one logical line whose first is line {@code
   * number} of {@code file}. Each keeps its own number and columns (RPCL needs no continuations),
   * but for a word a backslash-newline splits ('con\' and 'st'): cpp deletes it, so the word is
   * whole on the first of its lines, and the others are empty.
   */
  void rpcl(String[] physical, int from, int to, String file, int number) {
    int k = from;
    boolean lineComment = false;
    while (k < to) {
      int at = number + k - from;
      if (lineComment) {
        // cpp joins lines before it sees comments: a '//' comment ending in a backslash takes
        // the next line in, and so on while each ends in one.
        emit("", file, at);
        k++;
        continue;
      }
      StringBuilder part = new StringBuilder(physical[k]);
      int joined = 0;
      while (k + 1 < to && splitsWord(part, physical[k + 1])) {
        part.setLength(continuation(part));
        part.append(physical[k + 1]);
        k++;
        joined++;
      }
      if (k + 1 < to) {
        part.setLength(continuation(part));
        part.append(' ');
        lineComment = opensLineComment(part.toString(), comment != Comment.NONE);
      }
      rpcl(part.toString(), file, at);
      for (int j = 1; j <= joined; j++) {
        emit("", file, at + j);
      }
      k++;
    }
  }

  /**
   * Whether {@code line} has a {@code //} comment outside literals and block comments (one open
   * at its start when {@code inComment}), which then runs to its end.
   */
  static boolean opensLineComment(String line, boolean inComment) {
    int i = 0;
    while (i < line.length()) {
      if (inComment) {
        int end = line.indexOf("*/", i);
        if (end < 0) {
          return false;
        }
        inComment = false;
        i = end + 2;
      } else if (line.startsWith("/*", i)) {
        inComment = true;
        i += 2;
      } else if (line.startsWith("//", i)) {
        return true;
      } else if (Macros.isQuote(line.charAt(i))) {
        i = Macros.closingQuote(line, i);
      } else {
        i++;
      }
    }
    return false;
  }

  /** Emits an RPCL line, or gives it to the macro call it continues. */
  void rpcl(String line, String file, int number) {
    macros.at(file, number);
    if (pending == null) {
      String out = code(line, file, number);
      if (out != null) {
        emit(out, file, number);
      }
      return;
    }
    Comment before = comment;
    String bare = stripComments(line);
    PendingCall open = pending;
    if (open.awaitingParenthesis() && !bare.isBlank() && !bare.stripLeading().startsWith("(")) {
      flush(open, open.before() + open.name());  // a name that ends its line, not a call
      comment = before;
      rpcl(line, file, number);
      return;
    }
    open.append(bare, number);
    Macros.Call call = open.call();
    if (call == null) {
      open.defer("", file, number);
      return;
    }
    String expanded;
    int end = open.endColumn(call);
    try {
      // __LINE__ in the body is the line of the macro's name, as in cpp.
      macros.at(open.at().file(), open.at().line());
      expanded = macros.call(open.name(), open.taggedArguments());
      if (expanded == null) {
        // At the ')', on the call's last line, as cpp tells it.
        diagnostics.error(new Location(file, number, end), argumentCountError(open.name(), call));
      }
    } catch (Macros.ExpansionTooLarge e) {
      diagnostics.error(open.at(), Macros.ExpansionTooLarge.message(open.name()));
      expanded = null;
    }
    flush(open, open.before() + (expanded == null ? open.name() : expanded));
    comment = Comment.NONE;  // the ')' that ends the call is outside comments
    rpcl(" ".repeat(end) + line.substring(end), file, number);
  }

  /**
   * Whether the expansion of {@code word} at {@code at} ends in the name of a function-like macro
   * whose call goes on past the line: its name ends the line, where a '(' on a later line calls
   * it, or its arguments open there and close later. cpp rescans the expansion with all the text
   * after it, so '#define F G' and 'F' ending a line before '(2)' is G(2). The call is then
   * {@link #pending}, the expansion before the name its text before.
   */
  private boolean callGoesOn(Macros.Expansion rescanned, String word, String line, StringBuilder out, Location at) {
    String text = rescanned.text();
    int start = text.length();
    while (start > 0 && (Character.isLetterOrDigit(text.charAt(start - 1)) || text.charAt(start - 1) == '_')) {
      start--;
    }
    String name = text.substring(start);
    int end = rescanned.end();
    // The name of the macro just replaced is not replaced again in its own expansion, as in cpp.
    // The line's rest is looked at only past a function-like macro's name: copied at each word,
    // it made a long line's reading quadratic.
    if (name.isEmpty() || Character.isDigit(name.charAt(0)) || name.equals(word)
        || !macros.isFunctionLike(name) || !blankOrParenthesisFrom(line, end)
        || Macros.arguments(line, end) != null) {
      return false;
    }
    String rest = stripComments(line.substring(end));
    pending = new PendingCall(name, at, out + text.substring(0, start), rest);
    return true;
  }

  /** Emits the line of a macro call that ended as {@code first}, and the lines it held back. */
  private void flush(PendingCall open, String first) {
    pending = null;
    emit(first, open.at().file(), open.at().line());
    open.deferred().forEach(line -> emit(line.text(), line.file(), line.number()));
  }

  /**
   * Appends the replacement of macro {@code word}, which ends at {@code wordEnd} of {@code line}:
   * called with {@code call}'s arguments, or object-like when {@code call} is null, and rescanned
   * with the text from {@code after} (past the call's ')', or {@code wordEnd}), as cpp does.
   * Returns where to read the line on, or -1 when a macro call the replacement ends with goes on
   * past the line ({@link #pending}).
   */
  private int replace(String word, Macros.Call call, String line, int wordEnd, int after,
      StringBuilder out, Location at) {
    try {
      String expanded = call == null ? macros.expand(word) : macros.call(word, call.arguments());
      if (expanded == null) {
        // At the call's ')' (just before 'after'), as cpp tells it.
        diagnostics.error(new Location(at.file(), at.line(), after), argumentCountError(word, call));
        out.append(word);  // the arguments are read on as text
        return wordEnd;
      }
      Macros.Expansion rescanned = macros.rescanned(expanded, line, after, new HashSet<>());
      if (callGoesOn(rescanned, word, line, out, at)) {
        return -1;
      }
      out.append(rescanned.text());
      return rescanned.end();
    } catch (Macros.ExpansionTooLarge e) {
      tooLarge(word, out, at);
      return after;
    }
  }

  /**
   * Reports a replacement of {@code word} past {@link Macros#EXPANSION_LIMIT}; the name stands
   * for it (a call's arguments left out), so that the parser reads on without follow-on errors.
   */
  private void tooLarge(String word, StringBuilder out, Location at) {
    diagnostics.error(at, Macros.ExpansionTooLarge.message(word));
    out.append(word);
  }

  private static String argumentCountError(String macro, Macros.Call call) {
    return "macro '" + macro + "' called with " + call.arguments().size() + " arguments,"
        + " which is not the number it takes";
  }

  /**
   * An RPCL line: macros replaced outside comments and string literals; null when a macro call
   * it starts goes on past it ({@link #pending}).
   */
  private String code(String line, String file, int number) {
    StringBuilder out = new StringBuilder(line.length());
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (comment != Comment.NONE) {
        int end = line.indexOf("*/", i);
        int stop = end < 0 ? line.length() : end + 2;
        out.append(comment == Comment.KEPT ? line.substring(i, stop) : " ".repeat(stop - i));
        if (end >= 0) {
          comment = Comment.NONE;
        }
        i = stop;
      } else if (line.startsWith("/*", i)) {
        comment = Comment.KEPT;  // doc comments become Javadoc, so comments stay for the parser
      } else if (line.startsWith("//", i)) {
        out.append(line, i, line.length());
        break;
      } else if (Macros.isQuote(c)) {
        int end = Macros.closingQuote(line, i);
        out.append(line, i, end);
        i = end;
      } else if (Character.isDigit(c) || Character.isLetter(c) || c == '_') {
        i = word(line, i, file, number, out);
        if (i < 0) {
          return null;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Whether {@code line} from {@code from} is blank, or its first non-blank is '('. */
  private static boolean blankOrParenthesisFrom(String line, int from) {
    int i = from;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i == line.length() || line.charAt(i) == '(';
  }

  /**
   * The word (a name or a number) at {@code start}, a macro's name replaced: where the line reads
   * on after it, or -1 when a macro call it starts goes on past the line ({@link #pending}).
   */
  private int word(String line, int start, String file, int number, StringBuilder out) {
    int i = start;
    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
      i++;
    }
    String word = line.substring(start, i);
    if (Character.isDigit(line.charAt(start))) {
      out.append(word);
      return i;
    }
    Location at = new Location(file, number, start + 1);
    if (HasInclude.NAMES.contains(word)) {
      diagnostics.error(at, HasInclude.outsideDirective(word));
    }
    Macros.Call call = null;
    int after = i;
    if (macros.isFunctionLike(word) && blankOrParenthesisFrom(line, i)) {
      call = Macros.arguments(line, i);
      if (call == null) {
        String rest = stripComments(line.substring(i));
        call = Macros.arguments(rest, 0);
        if (call == null) {
          // Arguments on the next lines, or a name that ends its line (a call if '(' follows).
          pending = new PendingCall(word, at, out.toString(), rest);
          return -1;
        }
        comment = Comment.NONE;  // the call's ')' is outside comments: read on from there
        after = i + call.end();
      } else {
        after = call.end();
      }
    }
    return replace(word, call, line, i, after, out, at);
  }

  /**
   * Where the backslash that continues {@code line} on the next one is, else -1. Blanks may
   * follow it, as gcc's cpp allows (with a warning): trailing blanks are invisible in an editor.
   */
  static int continuation(CharSequence line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return end > 0 && line.charAt(end - 1) == '\\' ? end - 1 : -1;
  }

  /**
   * Whether the backslash that ends {@code line} (blanks may follow) splits a word or number with
   * {@code next}: no blank before it, none at the start of the next line.
   */
  static boolean splitsWord(CharSequence line, String next) {
    int backslash = continuation(line);
    return backslash > 0 && !Character.isWhitespace(line.charAt(backslash - 1))
        && !next.isEmpty() && !Character.isWhitespace(next.charAt(0));
  }

  /**
   * {@code text} with each run of blanks outside string and character literals made one space,
   * as cpp prints the text of {@code #error} and {@code #warning}.
   */
  static String blanksCollapsed(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Macros.isQuote(c)) {
        int end = Macros.closingQuote(text, i);
        out.append(text, i, end);
        i = end;
      } else if (Character.isWhitespace(c)) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().strip();
  }

  static char firstNonSpace(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (!Character.isWhitespace(line.charAt(i))) {
        return line.charAt(i);
      }
    }
    return ' ';
  }
}
