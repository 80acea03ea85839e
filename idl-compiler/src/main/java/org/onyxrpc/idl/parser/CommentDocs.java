package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.onyxrpc.idl.preprocess.LineMap;

/**
 * The docs of an rpcgen {@code .x} file, which documents its types and procedures in plain C
 * comments ({@code /* ... *}{@code /} or {@code //}), never in {@code /** ... *}{@code /}. A
 * definition, member, enum constant, union arm, version or procedure takes:
 *
 * <ul>
 *   <li>the comments right before it: on lines of their own (not at the end of the previous
 *       token's line, where they describe that), with no blank line, {@code %} line or
 *       directive between them and it; else
 *   <li>the comment that starts on its last line, after it (and after its {@code ;} or
 *       {@code ,}): {@code unsigned mode; /* protection mode bits *}{@code /}.
 * </ul>
 *
 * <p>A file's first comment (an included file's too) describes the file and is nobody's doc; so are comments that carry
 * a copyright or licence notice, and SCCS/RCS identification lines ({@code @(#)},
 * {@code $Id$}) are left out of a doc. Box drawing ({@code /*****}, {@code * ... *}, lines of
 * {@code -}) is left out too. The text returned is plain, not yet escaped for Javadoc.
 */
final class CommentDocs {
  private static final Pattern NOTICE = Pattern.compile(
      "(?i)copyright|all rights reserved|spdx-license-identifier|permission is hereby granted"
          + "|redistribution and use|licensed under|general public license|\\(c\\) ?\\d{4}");
  private static final Pattern IDENT_LINE = Pattern.compile(".*(@\\(#\\)|\\$[A-Za-z]+(:[^$]*)?\\$).*");
  private static final Pattern DECORATION = Pattern.compile("[\\s*=\\-_#~+/]*");

  private final CommonTokenStream tokens;
  private final LineMap lines;
  /** The lists (parents) whose runs {@link #readHeadings} has read. */
  private final Set<ParserRuleContext> listsRead = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The docs members take from their run's heading. */
  private final Map<ParserRuleContext, String> groupDocs = new IdentityHashMap<>();

  CommentDocs(CommonTokenStream tokens, LineMap lines) {
    this.tokens = tokens;
    this.lines = lines;
  }

  /**
   * The doc of the element {@code context}. In a run of declarations under a heading ({@link
   * CommentGroups}): its trailing comment, else the heading. Otherwise its leading comments,
   * else its trailing one; or null.
   */
  String of(ParserRuleContext context, ParserRuleContext trailingEnd) {
    String trailing = trailing(trailingEnd.getStop());
    readHeadings(context);
    String group = groupDocs.get(context);
    if (group != null) {
      return group;
    }
    String leading = leading(context.getStart());
    if (leading == null && context instanceof IdlParser.ArmDeclarationContext
        && context.getParent() != null) {
      // 'case X:' on a line of its own: the comment above the case documents the arm.
      leading = leading(((ParserRuleContext) context.getParent()).getStart());
    }
    return leading != null ? leading : trailing;
  }

  /**
   * Gives the members of each run under a heading (in the list {@code context} is in) their
   * docs: a trailing comment of its own, else the heading, which names them where it documents
   * two or more. One alone (a value under a comment, followed by values with trailing comments
   * of their own) takes the comment above it as its own doc.
   */
  private void readHeadings(ParserRuleContext context) {
    if (context.getParent() == null || !listsRead.add(context.getParent())) {
      return;
    }
    for (List<ParserRuleContext> run : CommentGroups.runs(context, this::adjacent)) {
      String heading = leading(run.get(0).getStart());
      if (heading == null) {
        continue;
      }
      List<ParserRuleContext> takers = new ArrayList<>();
      for (ParserRuleContext member : run) {
        String own = trailing(member.getStop());
        if (own != null) {
          groupDocs.put(member, own);
        } else {
          takers.add(member);
        }
      }
      if (!takers.isEmpty()) {
        String doc = takers.size() == 1 ? heading : CommentGroups.memberDoc(heading, takers);
        takers.forEach(member -> groupDocs.put(member, doc));
      }
    }
  }

  /**
   * Whether {@code after} follows {@code before} on the next line with nothing between but
   * {@code before}'s trailing comment and commented-out code: no blank line, no comment above
   * {@code after}, no {@code %} line, no other file.
   */
  private boolean adjacent(ParserRuleContext before, ParserRuleContext after) {
    Token previous = previousDefault(after.getStart().getTokenIndex());
    if (previous == null || !lines.locate(before.getStart().getLine(), 1).file()
        .equals(lines.locate(after.getStart().getLine(), 1).file())) {
      return false;
    }
    String gap = text(previous.getStopIndex() + 1, after.getStart().getStartIndex());
    int from = 0;
    for (Piece piece : pieces(gap)) {
      boolean trailing = newlines(gap, 0, piece.start) == 0;
      if (!piece.comment || newlines(gap, from, piece.start) >= 2
          || !(trailing || isCode(gap.substring(piece.start, piece.end)))) {
        return false;
      }
      from = piece.end;
    }
    return newlines(gap, from, gap.length()) < 2;
  }

  private static boolean isCode(String comment) {
    return CommentedOutCode.is(clean(comment));
  }

  private String leading(Token start) {
    Token previous = previousDefault(start.getTokenIndex());
    int from = previous == null ? 0 : previous.getStopIndex() + 1;
    String gap = text(from, start.getStartIndex());
    List<Piece> pieces = pieces(gap);
    List<String> docs = new ArrayList<>();
    int after = gap.length();
    for (int k = pieces.size() - 1; k >= 0; k--) {
      Piece piece = pieces.get(k);
      boolean blankLineBetween = newlines(gap, piece.end, after) >= 2;
      boolean onPreviousLine = newlines(gap, 0, piece.start) == 0;
      if (!piece.comment || blankLineBetween || (previous != null && onPreviousLine)
          || firstOfItsFile(previous, gap, pieces, k, start.getLine())) {
        break;
      }
      after = piece.start;
      if (!isCode(gap.substring(piece.start, piece.end))) {
        docs.add(0, gap.substring(piece.start, piece.end));
      }
    }
    return join(docs);
  }

  private String trailing(Token stop) {
    int index = stop.getTokenIndex();
    Token next = nextDefault(index);
    if (next != null && isSeparator(next)
        && next.getLine() == stop.getLine()) {
      stop = next;
      next = nextDefault(stop.getTokenIndex());
    }
    int to = next == null || next.getType() == Token.EOF
        ? stop.getInputStream().size() : next.getStartIndex();
    String gap = text(stop.getStopIndex() + 1, to);
    List<Piece> pieces = pieces(gap);
    if (pieces.isEmpty() || !pieces.get(0).comment || newlines(gap, 0, pieces.get(0).start) > 0
        || isCode(gap.substring(pieces.get(0).start, pieces.get(0).end))) {
      return null;
    }
    return join(List.of(gap.substring(pieces.get(0).start, pieces.get(0).end)));
  }

  /**
   * Whether comment {@code k} of the gap after {@code previous} (null at the start) is the
   * first thing of its file: the main file's or an included one's header.
   */
  private boolean firstOfItsFile(Token previous, String gap, List<Piece> pieces, int k, int startLine) {
    String file = fileOf(gap, pieces.get(k), startLine);
    String before = k > 0 ? fileOf(gap, pieces.get(k - 1), startLine)
        : previous == null ? null : lines.locate(previous.getLine(), 1).file();
    return !file.equals(before);
  }

  /** The original file of a piece of the gap that ends on preprocessed line {@code endLine}. */
  private String fileOf(String gap, Piece piece, int endLine) {
    return lines.locate(endLine - newlines(gap, piece.start, gap.length()), 1).file();
  }

  private static boolean isSeparator(Token token) {
    String text = token.getText();
    return ",".equals(text) || ";".equals(text);
  }

  private Token previousDefault(int index) {
    for (int i = index - 1; i >= 0; i--) {
      if (tokens.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
        return tokens.get(i);
      }
    }
    return null;
  }

  private Token nextDefault(int index) {
    for (int i = index + 1; i < tokens.size(); i++) {
      if (tokens.get(i).getChannel() == Token.DEFAULT_CHANNEL) {
        return tokens.get(i);
      }
    }
    return null;
  }

  private String text(int from, int to) {
    return to <= from ? "" : tokens.getTokenSource().getInputStream().getText(Interval.of(from, to - 1));
  }

  private static int newlines(String text, int from, int to) {
    int count = 0;
    for (int i = from; i < to; i++) {
      count += text.charAt(i) == '\n' ? 1 : 0;
    }
    return count;
  }

  /** A comment, or anything else ({@code %} line, stray text) found between two tokens. */
  private record Piece(int start, int end, boolean comment) {}

  private static List<Piece> pieces(String gap) {
    List<Piece> pieces = new ArrayList<>();
    int i = 0;
    while (i < gap.length()) {
      char c = gap.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (gap.startsWith("/*", i)) {
        int close = gap.indexOf("*/", i + 2);
        int end = close < 0 ? gap.length() : close + 2;
        pieces.add(new Piece(i, end, true));
        i = end;
      } else {
        int eol = gap.indexOf('\n', i);
        int end = eol < 0 ? gap.length() : eol;
        Piece last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
        boolean lineComment = gap.startsWith("//", i);
        if (lineComment && last != null && gap.startsWith("//", last.start)
            && newlines(gap, last.end, i) == 1) {
          // '//' comments on consecutive lines are one comment, as a header of them is.
          pieces.set(pieces.size() - 1, new Piece(last.start, end, true));
        } else {
          pieces.add(new Piece(i, end, lineComment));
        }
        i = end;
      }
    }
    return pieces;
  }

  /** The comments' text, each cleaned, notices left out; null when nothing is left. */
  private static String join(List<String> comments) {
    List<String> texts = new ArrayList<>();
    for (String comment : comments) {
      String text = clean(comment);
      if (!text.isEmpty() && !NOTICE.matcher(text).find()) {
        texts.add(text);
      }
    }
    return texts.isEmpty() ? null : String.join("\n", texts);
  }

  /** A comment without its delimiters, box drawing, identification lines and outer blank lines. */
  static String clean(String comment) {
    boolean lineComments = comment.startsWith("//");
    String body = lineComments ? comment
        : comment.substring(2, comment.endsWith("*/") && comment.length() >= 4
            ? comment.length() - 2 : comment.length());
    // What starts each line: the '//' of a run of line comments, a block comment's '*' margin.
    String margin = lineComments ? "^//+" : "^\\*+";
    List<String> lines = new ArrayList<>();
    for (String line : body.split("\r?\n", -1)) {
      String trimmed = line.strip().replaceFirst(margin, "").replaceFirst("\\s+\\*+$", "")
          .replaceAll("[\\p{Cntrl}&&[^\t]]", " ").strip();
      if (DECORATION.matcher(trimmed).matches() || IDENT_LINE.matcher(trimmed).matches()) {
        trimmed = "";
      }
      if (!trimmed.isEmpty() || (!lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty())) {
        lines.add(trimmed);
      }
    }
    return String.join("\n", lines).strip();
  }
}
