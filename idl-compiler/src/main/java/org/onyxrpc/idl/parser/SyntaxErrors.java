package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
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
  private final Excerpts excerpts;
  private CommonTokenStream tokens;
  private BraceCount braces;
  private int errors;
  private int quietThrough = -1;
  /** The token of the parser's last syntax error, reported or not; -1 before the first. */
  private int lastError = -1;
  /** Where the syntax errors reported are, as {@link #position}s: a slip just before one is its echo. */
  private final TreeSet<Long> errorPositions = new TreeSet<>();
  private final BorrowedSyntax borrowed = new BorrowedSyntax(this::previous, this::next);
  private final ShapeMistakes shapes = new ShapeMistakes(this::previous, this::next);
  private final GrpcHabits grpc = new GrpcHabits(this::previous, this::next);
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
    this.excerpts = new Excerpts(lines);
  }

  void tokens(CommonTokenStream tokens) {
    this.tokens = tokens;
    this.braces = new BraceCount(tokens);
  }

  /** Reports a gRPC user's .proto habits and reads them as the IDL would ({@link GrpcHabits#beforeParsing}). */
  void beforeParsing() {
    grpc.beforeParsing(tokens, this);
  }

  int errors() {
    return errors;
  }

  /**
   * Reports one syntax error in the writer's terms, or nothing when it is an echo of one already
   * reported. The steps run in order and the first that applies words the error: the lexer's
   * errors, what the end of the file explains, echoes, slips in literals, syntax borrowed from
   * other languages, an unexpected end of file, a definition's shape, and last the parser's own
   * "unexpected ..., expected ...".
   */
  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
      int charPositionInLine, String message, RecognitionException e) {
   
    errors++;
    if (!(offendingSymbol instanceof Token token)) {
      reportLexerError(line, charPositionInLine, message);
      return;
    }
    if (explainedByEnd(token, line, charPositionInLine) || isEcho(recognizer, token)) {
      return;
    }
    errorPositions.add(position(line, charPositionInLine));
    quietThrough = tokens == null ? token.getTokenIndex()
        : OpenBlocks.nextSemicolon(tokens, token.getTokenIndex());
    if (echoOfUnclosedLiteral(token, line, charPositionInLine)
        || reportedLiteralSlip(token, line, charPositionInLine)
        || reportedBorrowedSyntax(recognizer, token, message, line, charPositionInLine)
        || reportedDoubledSemicolon(token, line, charPositionInLine)) {
      return;
    }
    int[] at = token.getType() == Token.EOF ? end() : new int[] {line, charPositionInLine};
    if (token.getType() == Token.EOF && recognizer instanceof Parser parser
        && reportedUnexpectedEnd(parser, token, message, at[0], at[1])) {
      return;
    }
    if (reportedShapeMistake(recognizer, token, message, at[0], at[1])) {
      return;
    }
    reportUnexpected(token, message, at[0], at[1]);
  }

  /** The lexer's error: a character that starts no token, or a quote left open. */
  private void reportLexerError(int line, int column, String message) {
    String text = message.replaceFirst("^token recognition error at: ", "");
    errorPositions.add(position(line, column));
    if (text.startsWith("'\"") || text.startsWith("''")) {
      reportUnclosedLiteral(line, column, text.startsWith("'\""));
      return;
    }
    report(line, column, "unexpected character " + TypingSlips.visible(text)
        + (text.equals("'?'") ? ": " + BorrowedSyntax.questionMark() : ""));
  }

  /**
   * Whether the error is a comment left open (reported here) or the parser's end of file after a
   * comment or literal so reported.
   */
  private boolean explainedByEnd(Token token, int line, int column) {
    if (token.getType() == IdlParser.UNCLOSED_COMMENT) {
      // Never an echo: whatever came before, the rest of the file is this comment.
      endExplained = true;
      reportAtEnd("comment (opened at " + map.locate(line, column + 1)
          + ") is not closed: no '*/' after it");
      return true;
    }
    return token.getType() == Token.EOF && endExplained;
  }

  /**
   * Whether the error echoes an earlier one: it is before the ';' that ends the last reported
   * error's statement, or the parser's recovery has lost count of the braces. Remembers the
   * error as the last either way.
   */
  private boolean isEcho(Recognizer<?, ?> recognizer, Token token) {
    int previousError = lastError;
    lastError = token.getTokenIndex();
    if (token.getTokenIndex() <= quietThrough) {
      return true;
    }
    return previousError >= 0 && recognizer instanceof Parser parser
        && braces != null && braces.outOfStep(parser, token, previousError);
  }

  /** Reports a habit {@link GrpcHabits#beforeParsing} found; the file is then not whole. */
  void reportBeforeParsing(Token at, String message) {
    errors++;
    errorPositions.add(startOf(at));
    report(at.getLine(), at.getCharPositionInLine(), message);
  }

  /** Whether the error is at the token after a string literal or constant reported as unclosed. */
  private boolean echoOfUnclosedLiteral(Token token, int line, int column) {
    // 'const S = "abc' then 'const T': the literal, reported, was what the parser wanted
    return token.getType() != Token.EOF && unclosedLiteral > startOf(previous(token))
        && unclosedLiteral < position(line, column);
  }

  /**
   * Reports a character constant rpcgen does not read (C++14 digit separators among them), or a
   * number the lexer read as a number and something after it ({@link TypingSlips#number}).
   */
  private boolean reportedLiteralSlip(Token token, int line, int column) {
    if (token.getType() == IdlParser.BAD_CHAR_LITERAL) {
      report(line, column, TypingSlips.charConstant(previous(token), token));
      return true;
    }
    Token number = previous(token);
    if (number == null || number.getType() != IdlParser.NUMBER
        || !TypingSlips.touching(number, token)) {
      return false;
    }
    String message = TypingSlips.number(TypingSlips.writtenNumber(number, token, this::next));
    if (message == null) {
      return false;
    }
    report(number.getLine(), number.getCharPositionInLine(), message);
    return true;
  }

  /**
   * Reports syntax borrowed from C, Go, Rust, gRPC or Ocamlnet ({@link BorrowedSyntax}), or a
   * reserved word used as a name.
   */
  private boolean reportedBorrowedSyntax(Recognizer<?, ?> recognizer, Token token, String message,
      int line, int column) {
    Token before = previous(token);
    String misplaced = token.getText().equals("*") && before != null && before.getType() == IdlParser.STRUCT
        ? BorrowedSyntax.optionalStruct(next(token)) : BorrowedSyntax.misplacedVoid(token, before);
    if (misplaced != null) {
      report(line, column, misplaced);
      return true;
    }
    Token name = borrowed.nameBeforeType(token);
    if (name != null && token.getText().equals(":")) {
      report(name.getLine(), name.getCharPositionInLine(), BorrowedSyntax.typeFirst(name, token, next(token)));
      return true;
    }
    Token label = borrowed.label(token);
    if (label != null) {
      // Where the declaration starts, so that the field the parser made of 'optional B' is not
      // also reported as lacking its ';'.
      errorPositions.add(position(label.getLine(), label.getCharPositionInLine()));
      report(label.getLine(), label.getCharPositionInLine(), BorrowedSyntax.withoutLabel(label));
      return true;
    }
    String generic = recognizer instanceof Parser parser
        ? borrowed.typeArgumentsInProcedure(parser, token) : null;
    if (generic != null) {
      report(line, column, generic);
      return true;
    }
    String reserved = AntlrWords.reservedWord(recognizer, token, message);
    String unsigned = reserved == null ? null : TypingSlips.misspeltUnsigned(before, reserved);
    if (unsigned != null) {
      report(before.getLine(), before.getCharPositionInLine(), unsigned);
      return true;
    }
    if (reserved != null) {
      // 'count int;' is a Go or Rust habit, and '_int64 hyper,' Ocamlnet's dialect: say both.
      report(line, column, "'" + reserved + "' is a reserved word of the RPC language"
          + " and cannot be used as a name" + (name == null ? "" : "; if '" + name.getText()
              + "' is the name, XDR writes the type first: '" + reserved + " " + name.getText() + "'"));
      return true;
    }
    String advice = recognizer instanceof Parser parser ? borrowed.advice(parser, token) : null;
    if (advice != null) {
      reportAfter(previous(token), advice);
      return true;
    }
    return false;
  }

  private boolean reportedDoubledSemicolon(Token token, int line, int column) {
    String doubled = TypingSlips.doubledSemicolon(previous(token), token);
    if (doubled != null) {
      report(line, column, doubled);
    }
    return doubled != null;
  }

  /**
   * At the end of the file: reports the definition or blocks left open, or nothing when an
   * unclosed literal, reported, was the rest of the definition.
   */
  private boolean reportedUnexpectedEnd(Parser parser, Token token, String message, int line,
      int column) {
    if (unclosedBefore(parser, token) != null) {
      return true;
    }
    List<String> blocks = tokens == null ? List.of() : OpenBlocks.of(tokens, map);
    if (blocks.isEmpty() && unclosedLiteral >= 0 && unclosedLiteral > startOf(previous(token))) {
      return true;  // 'const S = "abc': the literal, skipped, was the rest of the definition
    }
    String open = OpenBlocks.atEnd(parser, blocks, message, map);
    if (open != null) {
      report(line, column, "unexpected end of file: " + open);
      return true;
    }
    return false;
  }

  /**
   * Reports a definition of the wrong shape: a string discriminant, a definition inside a struct
   * or union, a field or arm of one word, a procedure out of place or without its result type, a
   * token missing, a '}' missing before the next definition, or an empty enum or union.
   */
  private boolean reportedShapeMistake(Recognizer<?, ?> recognizer, Token token, String message,
      int line, int column) {
    Token stringType = shapes.stringDiscriminant(token);
    if (stringType != null) {
      // The linker's words for any other type: 'string s' stops the parser, asking for a bound.
      report(stringType.getLine(), stringType.getCharPositionInLine(), "union discriminant must be int, unsigned int, bool, an enum,"
          + " or rpcgen's char, short or hyper (signed or not), not a string");
      return true;
    }
    String inside = shapes.definitionInside(recognizer, token);
    if (inside != null) {
      report(line, column, inside);
      // The parser's recovery reads the definition's braces as the struct's: what follows up to
      // the struct's own end is an echo.
      quietThrough = Math.max(quietThrough, tokens == null ? token.getTokenIndex()
          : OpenBlocks.endOfEnclosingDefinition(tokens, token.getTokenIndex()));
      return true;
    }
    String loneWord = shapes.loneWord(recognizer, token);
    if (loneWord != null) {
      Token word = previous(token);
      report(word.getLine(), word.getCharPositionInLine(), loneWord);
      return true;
    }
    String procedureMistake = shapes.procedureMistake(recognizer, token);
    if (procedureMistake != null) {
      report(line, column, procedureMistake);
      return true;
    }
    Token previous = previous(token);
    Matcher missing = MISSING.matcher(message);
    if (missing.matches() && previous != null) {
      reportAfter(previous, "expected " + AntlrWords.readable(missing.group(1)) + " after '" + previous.getText() + "'");
      return true;
    }
    if (unclosedBefore(recognizer, token) != null) {
      return true;
    }
    String empty = shapes.emptyBody(recognizer, token);
    if (empty != null) {
      report(line, column, empty);
      return true;
    }
    return false;
  }

  /** The parser's own words, with "did you mean" for a misspelt keyword. */
  private void reportUnexpected(Token token, String message, int line, int column) {
    String found = token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
    String expected = AntlrWords.expected(message);
    String keyword = token.getType() == IdlParser.IDENTIFIER
        ? Spelling.nearest(token.getText(), KEYWORDS) : null;
    report(line, column, "unexpected " + found
        + (keyword != null ? "; did you mean '" + keyword + "'?"
            : expected == null ? "" : ", expected " + expected));
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
    if (!(recognizer instanceof Parser parser) || tokens == null) {
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
    diagnostics.error(map.locate(line, column + 1), message, excerpts.of(line, column));
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
}
