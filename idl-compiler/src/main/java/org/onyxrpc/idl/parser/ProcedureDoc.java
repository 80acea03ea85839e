package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A procedure's doc comment split as Javadoc reads a method's: the text, then {@code @return text}
 * and {@code @throws Name text} ({@code @exception} too), each running to the next line that
 * starts with '@'. Only these tags, and only on procedures, become tags of the generated methods;
 * every other line stays plain text, as libvirt's {@code @acl: ...} lines must.
 *
 * @param text the description, or null
 * @param returns the {@code @return} text, or null
 * @param throwsDocs the {@code @throws} text by exception name (simple name), in written order
 */
public record ProcedureDoc(String text, String returns, Map<String, String> throwsDocs) {
  private static final Pattern TAG =
      Pattern.compile("@(return|throws|exception)(?:\\s+(\\S+))?(?:\\s+([\\s\\S]*))?");

  /** An empty doc. */
  static final ProcedureDoc NONE = new ProcedureDoc(null, null, Map.of());

  /** Splits {@code doc} (a doc comment's lines, not yet escaped); null gives {@link #NONE}. */
  static ProcedureDoc of(String doc) {
    return of(doc, tag -> true);
  }

  /**
   * As {@link #of(String)}, where a tag line {@code kept} refuses stays text: a C comment's
   * {@code @return} over a void procedure or {@code @throws} of what Java does not throw was
   * written for C, not for the generated method, and is no mistake of the {@code .x} file's.
   */
  static ProcedureDoc of(String doc, Predicate<String> kept) {
    if (doc == null) {
      return NONE;
    }
    List<String> text = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (String line : doc.split("\n", -1)) {
      if (TAG.matcher(line).matches() && kept.test(line)) {
        tags.add(line);
      } else if (!line.startsWith("@") && !tags.isEmpty() && tags.get(tags.size() - 1) != null) {
        tags.set(tags.size() - 1, tags.get(tags.size() - 1) + "\n" + line);
      } else {
        if (line.startsWith("@")) {
          tags.add(null); // another tag: it ends the one before and stays in the text
        }
        text.add(line);
      }
    }
    String returns = null;
    Map<String, String> throwsDocs = new LinkedHashMap<>();
    for (String tag : tags) {
      Matcher matcher = tag == null ? null : TAG.matcher(tag);
      if (matcher == null || !matcher.matches()) {
        continue;
      }
      String first = matcher.group(2) == null ? "" : matcher.group(2);
      String rest = matcher.group(3) == null ? "" : matcher.group(3).strip();
      if (matcher.group(1).equals("return")) {
        String body = (first + " " + rest).strip();
        if (returns == null && !body.isEmpty()) {
          returns = body;
        }
      } else if (!first.isEmpty() && !rest.isEmpty()) {
        throwsDocs.putIfAbsent(first.substring(first.lastIndexOf('.') + 1), rest);
      }
    }
    String description = String.join("\n", text).strip();
    return new ProcedureDoc(description.isEmpty() ? null : description, returns,
        Collections.unmodifiableMap(throwsDocs));
  }

  /** The same doc with {@code escape} applied to every text. */
  ProcedureDoc map(UnaryOperator<String> escape) {
    Map<String, String> escaped = new LinkedHashMap<>();
    throwsDocs.forEach((name, doc) -> escaped.put(name, escape.apply(doc)));
    return new ProcedureDoc(text == null ? null : escape.apply(text),
        returns == null ? null : escape.apply(returns), Collections.unmodifiableMap(escaped));
  }
}
