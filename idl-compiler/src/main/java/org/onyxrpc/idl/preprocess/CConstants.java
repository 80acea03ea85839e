package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The constants that {@code %} lines declare for C: the enumerators of a {@code %enum} (or
 * {@code %typedef enum}) over as many lines as its braces take, and {@code %const} variables.
 * rpcgen's C sees them, Java does not: an unknown constant that one of them names says so.
 */
final class CConstants {
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern ENUM = Pattern.compile("^(?:typedef\\s+)?enum\\b");
  private static final Pattern ENUMERATOR = Pattern.compile("^\\s*(" + NAME + ")\\s*(?:=|$)");
  private static final Pattern CONST =
      Pattern.compile("^(?:static\\s+)?const\\s+[^=;(]*?\\b(" + NAME + ")\\s*(?:\\[[^\\]]*\\]\\s*)?=");

  private final Consumer<PassThroughConstant> out;
  /** The lines of an enum whose closing brace is still to come; null outside one. */
  private List<String> open;
  private int depth;
  private boolean sawBrace;

  CConstants(Consumer<PassThroughConstant> out) {
    this.out = out;
  }

  /** Takes the C of one {@code %} line, without the {@code %} and with its spaces collapsed. */
  void line(String c) {
    if (open == null) {
      if (!ENUM.matcher(c).lookingAt()) {
        Matcher constant = CONST.matcher(c);
        if (constant.find()) {
          out.accept(new PassThroughConstant(constant.group(1), c));
        }
        return;
      }
      open = new ArrayList<>();
      depth = 0;
      sawBrace = false;
    }
    open.add(c);
    sawBrace |= c.indexOf('{') >= 0;
    depth += (int) (c.chars().filter(ch -> ch == '{').count() - c.chars().filter(ch -> ch == '}').count());
    if (!sawBrace && c.indexOf(';') >= 0) {
      open = null;  // "enum clnt_stat rstat(char *);": a declaration of something else
    } else if (sawBrace && depth <= 0) {
      enumerators(open);
      open = null;
    }
  }

  private void enumerators(List<String> lines) {
    String text = String.join(" ", lines);
    int from = text.indexOf('{');
    int to = text.lastIndexOf('}');
    if (to < from) {
      return;
    }
    for (String item : text.substring(from + 1, to).split(",")) {
      Matcher name = ENUMERATOR.matcher(item);
      if (name.find()) {
        out.accept(new PassThroughConstant(name.group(1), declaration(lines, name.group(1))));
      }
    }
  }

  /** The enum as quoted in a message: its first line, the enumerator's and its last. */
  private static String declaration(List<String> lines, String name) {
    if (lines.size() == 1) {
      return lines.get(0);
    }
    Pattern own = Pattern.compile("(?:^|[{,])\\s*" + name + "\\b");
    List<String> shown = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < lines.size() - 1; i++) {
      if (own.matcher(lines.get(i)).find()) {
        shown.add(lines.get(i));
        break;
      }
    }
    shown.add(lines.get(lines.size() - 1));
    return String.join(" … ", shown);
  }
}
