package org.onyxrpc.idl.preprocess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The macros defined so far, replaced where their names appear in RPCL text as cpp replaces them
 * for rpcgen: object-like ones by their body, function-like ones ({@code #define
 * NAME(a, b) a##b}) where a call with its arguments on one line follows, with {@code #} and
 * {@code ##} applied. A macro is not expanded inside itself.
 */
final class Macros {
  /** parameters is null for an object-like macro; "..." stands for __VA_ARGS__. */
  private record Macro(List<String> parameters, String body) {
    boolean functionLike() {
      return parameters != null;
    }
  }

  /**
   * What the macro replacement of one line may produce: characters written plus macros replaced.
   * cpp sets no bound, so twenty macros each naming the one before twice ("billion laughs") make
   * millions of tokens, and forty more than memory holds; a .x file's lines need far less.
   */
  static final int EXPANSION_LIMIT = 1 << 20;

  /** Thrown when one line's replacement passes {@link #EXPANSION_LIMIT}; its callers say where. */
  static final class ExpansionTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExpansionTooLarge() {
      super(null, null, false, false);
    }

    /** The diagnostic for a replacement of {@code macro} that passed the limit. */
    static String message(String macro) {
      return "macro '" + macro + "'" + TOO_LARGE;
    }

    /** The diagnostic for a directive whose macros passed the limit. */
    static String message() {
      return "the macros of this line" + TOO_LARGE.replace("expands", "expand");
    }

    private static final String TOO_LARGE = " expands to more than " + EXPANSION_LIMIT
        + " characters and replacements, more than idlc replaces in one line"
        + " (do macros name each other many times over?)";
  }

  private final Map<String, Macro> macros = new HashMap<>();
  private long spent;
  private final BuiltIns builtIns = new BuiltIns();

  /**
   * The macros of {@code predefined}: a name, or a name with its parameters for a function-like
   * one ({@code F(x, y)}, as {@code cpp -D 'F(x, y)=x##y'} takes it), and its body.
   */
  Macros(Map<String, String> predefined) {
    predefined.forEach((name, value) -> {
      int open = name.indexOf('(');
      if (open < 0) {
        macros.put(name, new Macro(null, value));
      } else {
        String list = name.substring(open + 1, name.lastIndexOf(')'));
        List<String> parameters = new ArrayList<>();
        for (String parameter : list.split(",", -1)) {
          if (!list.isBlank()) {
            parameters.add(parameter.strip());
          }
        }
        define(name.substring(0, open).strip(), parameters, value);
      }
    });
  }

  /** Defines a macro; {@code parameters} is null for an object-like one. */
  void define(String name, List<String> parameters, String body) {
    macros.put(name, new Macro(parameters == null ? null : List.copyOf(parameters), body));
  }

  /**
   * Whether defining {@code name} so would change a definition it has: cpp's rule, other
   * parameters, or other tokens, or blanks between other tokens (not how many blanks).
   */
  boolean changes(String name, List<String> parameters, String body) {
    Macro old = macros.get(name);
    return old != null && !(Objects.equals(old.parameters(), parameters)
        && TextLines.blanksCollapsed(old.body()).equals(TextLines.blanksCollapsed(body)));
  }

  /**
   * A new line of {@code length} characters is read, at {@code line} of {@code file}: its
   * replacements may write its own text and {@link #EXPANSION_LIMIT} more, and {@code __FILE__}
   * and {@code __LINE__} name it.
   */
  void newLine(String file, int line, int length) {
    spent = -(long) length;
    builtIns.at(file, line);
  }

  /** {@code __LINE__} and {@code __FILE__} name {@code line} of {@code file} from now on. */
  void at(String file, int line) {
    builtIns.at(file, line);
  }

  /** Counts {@code units} of replacement work against the line's {@link #EXPANSION_LIMIT}. */
  private void spend(long units) {
    spent += units;
    if (spent > EXPANSION_LIMIT) {
      throw new ExpansionTooLarge();
    }
  }

  void undefine(String name) {
    macros.remove(name);
  }

  /** The definitions #pragma push_macro saved, each name's latest first (null: undefined then). */
  private final Map<String, Deque<Optional<Macro>>> pushed = new HashMap<>();

  /** {@code #pragma push_macro("name")}: saves the name's definition, or that it has none. */
  void push(String name) {
    pushed.computeIfAbsent(name, n -> new ArrayDeque<>()).push(Optional.ofNullable(macros.get(name)));
  }

  /** {@code #pragma pop_macro("name")}: restores the last saved one; nothing when none is. */
  void pop(String name) {
    Deque<Optional<Macro>> saved = pushed.get(name);
    if (saved != null && !saved.isEmpty()) {
      saved.pop().ifPresentOrElse(m -> macros.put(name, m), () -> macros.remove(name));
    }
  }

  /** A copy without {@code name}: what the macros would be had it never been defined. */
  Macros without(String name) {
    Macros copy = new Macros(Map.of());
    copy.macros.putAll(macros);
    copy.macros.remove(name);
    return copy;
  }

  boolean isDefined(String name) {
    return macros.containsKey(name) || BuiltIns.NAMES.contains(name) || HasInclude.NAMES.contains(name);
  }

  boolean isFunctionLike(String name) {
    Macro macro = macros.get(name);
    return macro != null && macro.functionLike();
  }

  /** {@code name} with object-like macros replaced, recursively. */
  String expand(String name) {
    return expand(name, new HashSet<>());
  }

  private String expand(String name, Set<String> active) {
    Macro macro = macros.get(name);
    if (macro == null && BuiltIns.NAMES.contains(name)) {
      spend(1);
      return builtIns.value(name);
    }
    if (macro == null || macro.functionLike() || active.contains(name)) {
      return name;
    }
    spend(1);
    active.add(name);
    String result = expandText(macro.body(), active);
    active.remove(name);
    return result;
  }

  /**
   * The call of function-like macro {@code name} with {@code arguments}, expanded; null when the
   * number of arguments is not the macro's.
   */
  String call(String name, List<String> arguments) {
    return call(name, arguments, new HashSet<>());
  }

  private String call(String name, List<String> arguments, Set<String> active) {
    Macro macro = macros.get(name);
    List<String> parameters = macro.parameters();
    String last = parameters.isEmpty() ? "" : parameters.get(parameters.size() - 1);
    boolean variadic = last.endsWith("...");
    // '...' is __VA_ARGS__; GNU's 'args...' names it 'args'.
    String rest = !variadic ? null : last.equals("...") ? "__VA_ARGS__" : last.substring(0, last.length() - 3).strip();
    int fixed = variadic ? parameters.size() - 1 : parameters.size();
    List<String> given = arguments.size() == 1 && arguments.get(0).isBlank() && fixed == 0
        ? List.of() : arguments;
    if (variadic ? given.size() < fixed : given.size() != fixed) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < fixed; i++) {
      values.put(parameters.get(i), given.get(i).strip());
    }
    if (variadic) {
      values.put(rest, String.join(",", given.subList(fixed, given.size())).strip());
    }
    spend(1);
    // cpp replaces the macros of an argument before it takes a parameter's place (one named by
    // # or ## aside), outside the call, so that ID(ID(3)) is 3 and MAX(MAX(1, 2), 3) expands.
    Map<String, String> expanded = new HashMap<>();
    String body = substitute(macro.body(), values, rest,
        parameter -> expanded.computeIfAbsent(parameter, p -> painted(expandText(values.get(p), active))));
    active.add(name);
    String result = expandText(body, active);
    active.remove(name);
    return result;
  }

  /**
   * The body with parameters replaced, {@code #p} as a string literal of the argument as written,
   * {@code a ## b} pasted from the arguments as written, other parameters by {@code expanded}.
   */
  private String substitute(String body, Map<String, String> values, String rest,
      UnaryOperator<String> expanded) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (body.startsWith("##", i)) {
        while (out.length() > 0 && Character.isWhitespace(out.charAt(out.length() - 1))) {
          out.setLength(out.length() - 1);
        }
        i += 2;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
          i++;
        }
        // GNU's ', ## __VA_ARGS__': the comma goes when no variable argument is given.
        if (rest != null && body.startsWith(rest, i) && wordEnd(body, i) == i + rest.length()
            && values.get(rest).isEmpty() && out.length() > 0 && out.charAt(out.length() - 1) == ',') {
          out.setLength(out.length() - 1);
        }
      } else if (rest != null && body.startsWith(VA_OPT, i) && wordEnd(body, i) == i + VA_OPT.length()
          && arguments(body, i + VA_OPT.length()) != null) {
        // C23's __VA_OPT__(text): the text when a variable argument is given, else nothing.
        int open = body.indexOf('(', i);
        int close = arguments(body, i + VA_OPT.length()).end();
        if (!values.get(rest).isEmpty()) {
          out.append(substitute(body.substring(open + 1, close - 1), values, rest, expanded));
        }
        i = close;
      } else if (c == '#') {
        int start = i + 1;
        while (start < body.length() && Character.isWhitespace(body.charAt(start))) {
          start++;
        }
        int end = wordEnd(body, start);
        String value = values.get(body.substring(start, end));
        // cpp's string holds the argument's tokens with one blank where they had any.
        value = value == null ? null
            : TextLines.blanksCollapsed(LineTags.untagged(value).replace(String.valueOf(PAINTED), ""));
        if (value == null) {
          out.append(c);
          i++;
        } else {
          spend(value.length());
          out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
          i = end;
        }
      } else if (isQuote(c)) {
        int end = closingQuote(body, i);
        out.append(body, i, end);
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = wordEnd(body, i);
        String word = body.substring(i, end);
        String value = !values.containsKey(word) ? word
            : pasted(body, i, end) ? LineTags.untagged(values.get(word)).replace(String.valueOf(PAINTED), "")
            : expanded.apply(word);
        spend(value.length());  // an argument the body names many times is copied as often
        out.append(value);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static final String VA_OPT = "__VA_OPT__";

  /** Whether the word of {@code body} from {@code start} to {@code end} is an operand of ##. */
  private static boolean pasted(String body, int start, int end) {
    int before = start;
    while (before > 0 && Character.isWhitespace(body.charAt(before - 1))) {
      before--;
    }
    int after = end;
    while (after < body.length() && Character.isWhitespace(body.charAt(after))) {
      after++;
    }
    return before >= 2 && body.startsWith("##", before - 2) || body.startsWith("##", after);
  }

  /** Marks a name that is not to be replaced again, in an argument's expansion. */
  private static final char PAINTED = '\u0001';

  /**
   * {@code argument}, expanded, with every macro name left in it marked {@link #PAINTED}: it was
   * left because it was being replaced (a self-referential macro, '#define A A B'), and cpp never
   * replaces such a name again ("painted blue"), also not after the argument takes its
   * parameter's place, so ID(A) is 'A B'. A function-like name with no '(' after it is not left
   * for that reason, and a body may still call it (APPLY(ID, 3) with '#define APPLY(f, x) f(x)').
   */
  private String painted(String argument) {
    StringBuilder out = new StringBuilder(argument.length());
    int i = 0;
    while (i < argument.length()) {
      char c = argument.charAt(i);
      if (isQuote(c)) {
        int end = closingQuote(argument, i);
        out.append(argument, i, end);
        i = end;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int end = wordEnd(argument, i);
        String word = argument.substring(i, end);
        Macro macro = Character.isDigit(c) ? null : macros.get(word);
        if (macro != null && (!macro.functionLike() || arguments(argument, end) != null)) {
          out.append(PAINTED);
        }
        out.append(word);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Every name in {@code text} expanded, calls included, leaving numbers and strings alone. */
  String expandText(String text, Set<String> active) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isLetter(c) || c == '_') {
        i = expandWord(text, i, active, out);
      } else if (c == LineTags.TAG && LineTags.end(text, i) > 0) {
        // The word after the tag, and the call it may start, are expanded on the tag's line.
        int close = LineTags.end(text, i) - 1;
        int saved = builtIns.line();
        builtIns.line(Integer.parseInt(text, i + 1, close, 10));
        i = close + 1;
        if (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
          i = expandWord(text, i, active, out);
        }
        builtIns.line(saved);
      } else if (c == PAINTED && i + 1 < text.length()
          && (Character.isLetter(text.charAt(i + 1)) || text.charAt(i + 1) == '_')) {
        int end = wordEnd(text, i + 1);  // a name painted in an argument: never replaced
        spend(end - i);
        out.append(text, i + 1, end);
        i = end;
      } else if (Character.isDigit(c)) {
        int end = wordEnd(text, i);
        spend(end - i);
        out.append(text, i, end);
        i = end;
      } else if (isQuote(c)) {
        int end = closingQuote(text, i);
        spend(end - i);
        out.append(text, i, end);
        i = end;
      } else {
        spend(1);
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Appends the expansion of the name at {@code start} of {@code text} (with its call's
   * arguments, rescanned with the text after it); returns where reading goes on.
   */
  private int expandWord(String text, int start, Set<String> active, StringBuilder out) {
    int end = wordEnd(text, start);
    String word = text.substring(start, end);
    spend(word.length());
    Call call = isFunctionLike(word) && !active.contains(word) ? arguments(text, end) : null;
    String expanded = call == null ? null : call(word, call.arguments(), active);
    Expansion rescanned = expanded != null
        ? rescanned(expanded, text, call.end(), active)
        : rescanned(expand(word, active), text, end, active);
    out.append(rescanned.text());
    return rescanned.end();
  }

  /** The text a name or call became, and the index in the text where reading goes on. */
  record Expansion(String text, int end) {}

  /**
   * {@code expansion}, of the text before {@code from}, rescanned with the text after it, as cpp
   * rescans: an expansion that ends in the name of a function-like macro calls it with the
   * arguments that follow ('#define F G' and '#define G(x) x + 1': 'F(2)' is '2 + 1').
   */
  Expansion rescanned(String expansion, String text, int from, Set<String> active) {
    String result = expansion;
    int end = from;
    while (true) {
      int start = result.length();
      while (start > 0 && (Character.isLetterOrDigit(result.charAt(start - 1)) || result.charAt(start - 1) == '_')) {
        start--;
      }
      String name = result.substring(start);
      Call call = !name.isEmpty() && !Character.isDigit(name.charAt(0)) && isFunctionLike(name)
          && !active.contains(name) ? arguments(text, end) : null;
      String called = call == null ? null : call(name, call.arguments(), active);
      if (called == null) {
        return new Expansion(result, end);
      }
      result = result.substring(0, start) + called;
      end = call.end();
    }
  }

  /** The arguments of a call and the index after its ')'. */
  record Call(List<String> arguments, int end) {}

  /**
   * The parenthesised arguments that follow {@code from} in {@code text} (blanks first), split at
   * top-level commas; null when no '(' follows or its ')' is not in {@code text}.
   */
  static Call arguments(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i >= text.length() || text.charAt(i) != '(') {
      return null;
    }
    List<String> arguments = new ArrayList<>();
    int depth = 0;
    int start = i + 1;
    for (i = i + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isQuote(c)) {
        i = closingQuote(text, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (c == ')') {
        arguments.add(text.substring(start, i));
        return new Call(arguments, i + 1);
      } else if (c == ',' && depth == 0) {
        arguments.add(text.substring(start, i));
        start = i + 1;
      }
    }
    return null;
  }

  static int wordEnd(String text, int start) {
    int i = start;
    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /** Whether {@code c} opens a string literal or, as in cpp, a character constant ('y'). */
  static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  /** The index after the string literal or character constant that starts at {@code open}. */
  static int closingQuote(String text, int open) {
    char quote = text.charAt(open);
    int i = open + 1;
    while (i < text.length() && text.charAt(i) != quote) {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, text.length());
  }
}
