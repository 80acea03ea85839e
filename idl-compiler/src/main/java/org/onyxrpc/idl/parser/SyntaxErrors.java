package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.preprocess.LineMap;

/**
 * Syntax errors in plain language, the way Wire and rustc word them: "expected ';' after field
 * 'pages'" at the end of the field rather than ANTLR's "extraneous input '}' expecting ';'" on
 * the next line. After an error, what follows up to the next {@code ;} is not reported again:
 * those are echoes of the first mistake; nor is what the parser misreads while its recovery has
 * lost count of the braces ({@link BraceCount}).
 */
final class SyntaxErrors extends BaseErrorListener {
  private static final Pattern MISSING = Pattern.compile("missing (.*) at .*");

  /** Words that are keywords only where Onyx adds syntax, and names elsewhere (the ident rule). */
  static final Set<Integer> IDENT_KEYWORDS = Set.of(IdlParser.PACKAGE, IdlParser.IMPORT,
      IdlParser.SERVICE, IdlParser.EXCEPTION, IdlParser.ONEWAY, IdlParser.THROWS, IdlParser.NAMESPACE,
      IdlParser.PRAGMA, IdlParser.QUADRUPLE);

  private final Diagnostics diagnostics;
  private final LineMap map;
  private final String[] lines;
  private CommonTokenStream tokens;
  private BraceCount braces;
  private int errors;
  private int quietThrough = -1;
  /** The token of the parser's last syntax error, reported or not; -1 before the first. */
  private int lastError = -1;
  /** Where the syntax errors reported are, as {@link #position}s: a slip just before one is its echo. */
  private final TreeSet<Long> errorPositions = new TreeSet<>();
  private final BorrowedSyntax borrowed = new BorrowedSyntax(this::previous, this::next);
  /**
   * Set once a comment or literal the file ends in is reported: the parser's "unexpected end of
   * file" that follows is its echo.
   */
  private boolean endExplained;
  /** Where the last string literal or character constant left open on its line is, or -1. */
  private long unclosedLiteral = -1;

  SyntaxErrors(Diagnostics diagnostics, LineMap map, String[] lines) {
    this.diagnostics = diagnostics;
    this.map = map;
    this.lines = lines;
  }

  void tokens(CommonTokenStream tokens) {
    this.tokens = tokens;
    this.braces = new BraceCount(tokens);
  }

  int errors() {
    return errors;
  }

  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
      int charPositionInLine, String message, RecognitionException e) {
    errors++;
    Token token = offendingSymbol instanceof Token t ? t : null;
    if (token == null) {
      // The lexer: a character that starts no token.
      String text = message.replaceFirst("^token recognition error at: ", "");
      errorPositions.add(position(line, charPositionInLine));
      if (text.startsWith("'\"") || text.startsWith("''")) {
        reportUnclosedLiteral(line, charPositionInLine, text.startsWith("'\""));
        return;
      }
      report(line, charPositionInLine, "unexpected character " + visible(text)
          + (text.equals("'?'") ? ": " + BorrowedSyntax.questionMark() : ""));
      return;
    }
    if (token.getType() == IdlParser.UNCLOSED_COMMENT) {
      // Never an echo: whatever came before, the rest of the file is this comment.
      endExplained = true;
      reportAtEnd("comment (opened at " + map.locate(line, charPositionInLine + 1)
          + ") is not closed: no '*/' after it");
      return;
    }
    if (token.getType() == Token.EOF && endExplained) {
      return;
    }
    int previousError = lastError;
    lastError = token.getTokenIndex();
    if (token.getTokenIndex() <= quietThrough) {
      return;
    }
    if (previousError >= 0 && recognizer instanceof org.antlr.v4.runtime.Parser parser
        && braces != null && braces.outOfStep(parser, token, previousError)) {
      return;
    }
    errorPositions.add(position(line, charPositionInLine));
    quietThrough = nextSemicolon(token.getTokenIndex());
    Token before = previous(token);
    if (token.getType() != Token.EOF && unclosedLiteral > startOf(before)
        && unclosedLiteral < position(line, charPositionInLine)) {
      return;  // 'const S = "abc' then 'const T': the literal, reported, was what the parser wanted
    }
    if (token.getType() == IdlParser.BAD_CHAR_LITERAL && before != null
        && before.getType() == IdlParser.NUMBER && before.getStopIndex() + 1 == token.getStartIndex()) {
      report(line, charPositionInLine, "digit separators (" + before.getText() + token.getText()
          + "…) are C++14's, which rpcgen does not read: write the number without them");
      return;
    }
    if (token.getType() == IdlParser.BAD_CHAR_LITERAL) {
      report(line, charPositionInLine, "invalid character constant " + token.getText() + ": rpcgen"
          + " reads one ASCII character between quotes, without escapes (write its code instead)");
      return;
    }
    String misplaced = token.getText().equals("*") && before != null && before.getType() == IdlParser.STRUCT
        ? BorrowedSyntax.optionalStruct(next(token)) : BorrowedSyntax.misplacedVoid(token, before);
    if (misplaced != null) {
      report(line, charPositionInLine, misplaced);
      return;
    }
    Token name = borrowed.nameBeforeType(token);
    if (name != null && token.getText().equals(":")) {
      report(name.getLine(), name.getCharPositionInLine(), BorrowedSyntax.typeFirst(name, token, next(token)));
      return;
    }
    Token label = borrowed.label(token);
    if (label != null) {
      // Where the declaration starts, so that the field the parser made of 'optional B' is not
      // also reported as lacking its ';'.
      errorPositions.add(position(label.getLine(), label.getCharPositionInLine()));
      report(label.getLine(), label.getCharPositionInLine(), BorrowedSyntax.withoutLabel(label));
      return;
    }
    String reserved = AntlrWords.reservedWord(recognizer, token, message);
    if (reserved != null) {
      // 'count int;' is a Go or Rust habit, and '_int64 hyper,' Ocamlnet's dialect: say both.
      report(line, charPositionInLine, "'" + reserved + "' is a reserved word of the RPC language"
          + " and cannot be used as a name" + (name == null ? "" : "; if '" + name.getText()
              + "' is the name, XDR writes the type first: '" + reserved + " " + name.getText() + "'"));
      return;
    }
    String advice = recognizer instanceof org.antlr.v4.runtime.Parser parser
        ? borrowed.advice(parser, token) : null;
    if (advice != null) {
      reportAfter(previous(token), advice);
      return;
    }
    if (token.getType() == Token.EOF) {
      int[] end = end();
      line = end[0];
      charPositionInLine = end[1];
    }
    if (token.getType() == Token.EOF && recognizer instanceof org.antlr.v4.runtime.Parser parser) {
      if (unclosedBefore(recognizer, token) != null) {
        return;
      }
      List<String> blocks = tokens == null ? List.of() : OpenBlocks.of(tokens, map);
      Token last = previous(token);
      if (blocks.isEmpty() && unclosedLiteral >= 0
          && unclosedLiteral > startOf(last)) {
        return;  // 'const S = "abc': the literal, skipped, was the rest of the definition
      }
      String open = openAtEnd(parser, blocks, message);
      if (open != null) {
        report(line, charPositionInLine, "unexpected end of file: " + open);
        return;
      }
    }
    Token stringType = stringDiscriminant(token);
    if (stringType != null) {
      // The linker's words for any other type: 'string s' stops the parser, asking for a bound.
      report(stringType.getLine(), stringType.getCharPositionInLine(), "union discriminant must be int, unsigned int, bool, an enum,"
          + " or rpcgen's char, short or hyper (signed or not), not a string");
      return;
    }
    String procedureMistake = procedureMistake(recognizer, token);
    if (procedureMistake != null) {
      report(line, charPositionInLine, procedureMistake);
      return;
    }
    Token previous = previous(token);
    Matcher missing = MISSING.matcher(message);
    if (missing.matches() && previous != null) {
      reportAfter(previous, "expected " + AntlrWords.readable(missing.group(1)) + " after '" + previous.getText() + "'");
      return;
    }
    Token unclosed = unclosedBefore(recognizer, token);
    if (unclosed != null) {
      return;
    }
    String empty = emptyBody(recognizer, token);
    if (empty != null) {
      report(line, charPositionInLine, empty);
      return;
    }
    String found = token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
    String expected = AntlrWords.expected(message);
    String keyword = token.getType() == IdlParser.IDENTIFIER
        ? Spelling.nearest(token.getText(), KEYWORDS) : null;
    report(line, charPositionInLine, "unexpected " + found
        + (keyword != null ? "; did you mean '" + keyword + "'?"
            : expected == null ? "" : ", expected " + expected));
  }

  /**
   * The lexer's quoted character, or for one that shows as nothing or as a space (a control
   * character, a no-break or zero-width space pasted from a web page) its code point and name:
   * "unexpected character ' '" would leave the reader looking for a mistake they cannot see.
   */
  private static String visible(String quoted) {
    String text = quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : quoted;
    if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
      return quoted;
    }
    int c = text.codePointAt(0);
    int type = Character.getType(c);
    boolean invisible = Character.isISOControl(c) || type == Character.FORMAT
        || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
    if (!invisible) {
      return quoted;
    }
    String name = Character.getName(c);
    return String.format("U+%04X", c) + (name == null ? "" : " (" + name + ")");
  }

  /**
   * Two slips of people who know services from gRPC or Thrift, where the parser's own words
   * ("expected '}', '@' or 'version'", "expected identifier after 'h'") do not say what to write:
   * a procedure written straight in a service, outside a version block; and a procedure without
   * a result type, whose name the parser takes for the type (or, as likely, without a name). Else null.
   */
  private String procedureMistake(Recognizer<?, ?> recognizer, Token offending) {
    if (!(recognizer instanceof org.antlr.v4.runtime.Parser parser)) {
      return null;
    }
    ParserRuleContext context = parser.getContext();
    if (context instanceof IdlParser.ServiceDefContext service && service.name != null
        && offending.getType() != Token.EOF && !offending.getText().equals("}")
        && !offending.getText().equals("@") && offending.getType() != IdlParser.VERSION) {
      Token number = next(offending);
      if (offending.getType() == IdlParser.IDENTIFIER && number != null
          && number.getType() == IdlParser.NUMBER
          && "version".equals(Spelling.nearest(offending.getText(), List.of("version")))) {
        // 'verison 1 {': no procedure starts with a name and a number, so it is the keyword.
        return "unexpected '" + offending.getText() + "'; did you mean 'version'?";
      }
      return "a procedure of service '" + service.name.getText() + "' goes inside a version block:"
          + " 'version 1 { … }' around the procedures";
    }
    Token before = previous(offending);
    Token typeOrName = before == null ? null : previous(before);
    if (offending.getText().equals("(") && before != null && before.getType() == IdlParser.IDENTIFIER
        && (typeOrName == null || typeOrName.getText().equals("{") || typeOrName.getText().equals(";"))
        && inside(context, IdlParser.ProcedureContext.class)) {
      return "expected a result type and a name before '(': if '" + before.getText() + "' is the"
          + " procedure's name, write its result type before it ('void " + before.getText()
          + "(...)' when it returns nothing)";
    }
    return null;
  }

  /** At the ')' of {@code switch (string name)}, the token {@code string}; else null. */
  private Token stringDiscriminant(Token offending) {
    Token name = previous(offending);
    Token type = name == null ? null : previous(name);
    Token open = type == null ? null : previous(type);
    Token keyword = open == null ? null : previous(open);
    return offending.getText().equals(")") && keyword != null && keyword.getType() == IdlParser.SWITCH
        && open.getText().equals("(") && type.getType() == IdlParser.STRING ? type : null;
  }

  private static boolean inside(ParserRuleContext context, Class<? extends ParserRuleContext> kind) {
    for (ParserRuleContext c = context; c != null; c = c.getParent()) {
      if (kind.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A named enum or union with nothing between its braces, which the grammar cannot take ("unexpected
   * '}', expected '@' or identifier" says what the parser wanted, not what is missing); else null.
   */
  private String emptyBody(Recognizer<?, ?> recognizer, Token offending) {
    Token before = previous(offending);
    if (!(recognizer instanceof org.antlr.v4.runtime.Parser parser) || !offending.getText().equals("}")
        || before == null || !before.getText().equals("{")) {
      return null;
    }
    for (ParserRuleContext context = parser.getContext(); context != null; context = context.getParent()) {
      if (context instanceof IdlParser.EnumDefContext e) {
        return "enum '" + e.name.getText() + "' has no values: an enum needs at least one ('FIRST = 0')";
      }
      if (context instanceof IdlParser.UnionDefContext u) {
        return "union '" + u.name.getText() + "' has no arms: a union needs at least one"
            + " ('case 0: int value;', or 'default: void;' for every value)";
      }
    }
    return null;
  }

  /** The words that start a definition, for "did you mean 'struct'?". */
  private static final List<String> KEYWORDS = List.of("const", "enum", "struct", "union",
      "typedef", "program", "version", "service", "exception", "unsigned", "opaque", "string",
      "switch", "case", "default", "hyper", "double", "float", "bool", "void");

  /**
   * When a definition's closing brace is missing, the next definition is where the parser
   * stumbles: "unexpected '{'" there says nothing useful. If a definition keyword starts a line
   * between the definition's '{' and the error, reports the missing '}' at that keyword and
   * returns it; otherwise null.
   */
  private Token unclosedBefore(Recognizer<?, ?> recognizer, Token offending) {
    if (!(recognizer instanceof org.antlr.v4.runtime.Parser parser) || tokens == null) {
      return null;
    }
    for (ParserRuleContext context = parser.getContext(); context != null;
        context = context.getParent()) {
      if (context instanceof IdlParser.DefinitionBodyContext body && body.getStart() != null) {
        for (int i = body.getStart().getTokenIndex() + 1; i < offending.getTokenIndex(); i++) {
          Token candidate = tokens.get(i);
          if (candidate.getCharPositionInLine() == 0 && DEFINITION_STARTS.contains(candidate.getType())) {
            report(candidate.getLine(), 0, "expected '}' to close " + describe(body)
                + " before this " + candidate.getText());
            return candidate;
          }
        }
        return null;
      }
    }
    return null;
  }

  /**
   * What the file ends inside of, for "unexpected end of file: ...": the blocks whose '}' is
   * missing, innermost first ("version 'V' (opened at f.x:2:3) is not closed, nor program 'P'
   * (opened at f.x:1:1)"), else the definition left unfinished ("typedef (begun at f.x:1:1) is
   * not finished"), with what the parser expected when that is short; null at the top level.
   */
  private String openAtEnd(org.antlr.v4.runtime.Parser parser, List<String> blocks, String message) {
    if (!blocks.isEmpty()) {
      return blocks.get(0) + " is not closed"
          + (blocks.size() == 1 ? "" : ", nor " + String.join(", nor ", blocks.subList(1, blocks.size())));
    }
    ParserRuleContext unfinished = parser.getContext();
    while (unfinished != null && !(unfinished instanceof IdlParser.DefinitionBodyContext
        || unfinished instanceof IdlParser.PragmaDefContext
        || unfinished instanceof IdlParser.PackageDeclContext
        || unfinished instanceof IdlParser.ImportDeclContext)) {
      unfinished = unfinished.getParent();
    }
    if (unfinished == null || unfinished.getStart() == null
        || unfinished.getStart().getType() == Token.EOF) {
      return null;
    }
    Token start = unfinished.getStart();
    // 'typedef int' has no name yet; a const, struct or program has it second.
    String name = !(unfinished instanceof IdlParser.TypedefDefContext) && unfinished.getChildCount() > 1
        && unfinished.getChild(1) instanceof IdlParser.IdentContext ident ? " '" + ident.getText() + "'" : "";
    String expected = AntlrWords.expected(message);
    return start.getText() + name + " (begun at "
        + map.locate(start.getLine(), start.getCharPositionInLine() + 1) + ") is not finished"
        + (expected == null ? "" : ", expected " + expected);
  }

  /**
   * A string literal or character constant without its closing quote: the lexer stops at the
   * end of the line, or of the file.
   */
  private void reportUnclosedLiteral(int line, int column, boolean string) {
    String what = string ? "string literal" : "character constant";
    String quote = string ? "'\"'" : "\"'\"";
    if (line >= end()[0]) {
      endExplained = true;
      reportAtEnd(what + " (opened at " + map.locate(line, column + 1) + ") is not closed: no "
          + quote + " after it");
    } else {
      unclosedLiteral = position(line, column);
      report(line, column, what + " is not closed: no " + quote + " before the end of the line");
    }
  }

  /** Whether a syntax error was reported where {@code token} starts. */
  boolean errorAt(Token token) {
    return errorPositions.contains(startOf(token));
  }

  /** Where a token starts, as {@link #position}; -1 for none (before the first token). */
  private static long startOf(Token token) {
    return token == null ? -1 : position(token.getLine(), token.getCharPositionInLine());
  }

  /** Reports at the end of the text, where the file ends unexpectedly. */
  private void reportAtEnd(String message) {
    int[] end = end();
    report(end[0], end[1], "unexpected end of file: " + message);
  }

  /**
   * The line and column where the text ends: after its last line, or at the end of that line
   * when the file has no newline there (the preprocessor's text ends with one all the same, on a
   * line the file does not have, which would be reported as its line 1 column 1).
   */
  private int[] end() {
    int last = lines.length;
    if (last >= 2 && lines[last - 1].isEmpty()
        && map.locate(last, 1).equals(map.locate(last - 1, 1))) {
      return new int[] {last - 1, lines[last - 2].length()};
    }
    return new int[] {last, lines[last - 1].length()};
  }

  private static final Set<Integer> DEFINITION_STARTS = Set.of(IdlParser.STRUCT, IdlParser.UNION,
      IdlParser.ENUM, IdlParser.TYPEDEF, IdlParser.CONST, IdlParser.PROGRAM, IdlParser.SERVICE,
      IdlParser.EXCEPTION);

  private String describe(IdlParser.DefinitionBodyContext body) {
    Token start = body.getStart();
    String name = body.getChildCount() > 1 ? body.getChild(1).getText() : "";
    return start.getText() + " '" + name + "' (opened at "
        + map.locate(start.getLine(), start.getCharPositionInLine() + 1) + ")";
  }

  /**
   * Whether a syntax error was found between the end of {@code token} and the next token, or at
   * it: a ';' missing there was left out by the error's recovery, not by the writer.
   */
  boolean errorRightAfter(Token token) {
    long from = position(token.getLine(), token.getCharPositionInLine() + token.getText().length());
    Token next = next(token);
    Long found = errorPositions.ceiling(from);
    return found != null
        && (next == null || found <= position(next.getLine(), next.getCharPositionInLine()));
  }

  private static long position(int line, int column) {
    return (long) line << 32 | column;
  }

  private Token next(Token token) {
    return tokens == null ? null : OpenBlocks.next(tokens, token);
  }

  static boolean wellFormed(ParserRuleContext rule) {
    if (rule.exception != null || rule.getStop() == null) {
      return false;
    }
    for (int i = 0; i < rule.getChildCount(); i++) {
      ParseTree child = rule.getChild(i);
      if (child instanceof ErrorNode
          || child instanceof ParserRuleContext nested && !wellFormed(nested)) {
        return false;
      }
    }
    return true;
  }

  void reportAfter(Token token, String message) {
    report(token.getLine(), token.getCharPositionInLine() + token.getText().length(), message);
  }

  void report(int line, int column, String message) {
    diagnostics.error(map.locate(line, column + 1), message, IdlFileParser.excerpt(lines, line, column));
  }

  private Token previous(Token token) {
    for (int i = token.getTokenIndex() - 1; tokens != null && i >= 0; i--) {
      Token candidate = tokens.get(i);
      if (candidate.getChannel() == Token.DEFAULT_CHANNEL) {
        return candidate;
      }
    }
    return null;
  }

  private int nextSemicolon(int from) {
    if (tokens == null) {
      return from;
    }
    tokens.fill();
    List<Token> all = tokens.getTokens();
    for (int i = from; i < all.size(); i++) {
      if (all.get(i).getText().equals(";")) {
        return i;
      }
    }
    return from;
  }
}
