package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.parser.Elements.Import;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.preprocess.PassThroughDefine;
import org.onyxrpc.idl.preprocess.Preprocessor;

/** Parses one {@code .idl} text into a {@link FileElement}, reporting syntax errors as diagnostics. */
public final class IdlFileParser {
  private IdlFileParser() {}

  /**
   * The outcome of parsing one file: the tree when it had no syntax error, and its imports.
   *
   * @param tree the syntax tree, empty on a syntax error
   * @param imports its imports
   */
  public record Result(Optional<FileElement> tree, List<Import> imports) {}

  /**
   * Deepest nesting of {@code (}, {@code [} and <code>{</code> parsed: far beyond any IDL's, below what
   * the parser's recursion takes of a thread's stack (4,000 parentheses overflowed idlc's).
   */
  static final int MAX_NESTING = 256;

  /**
   * Most operators in one expression: a flat sum parses to a tree as deep as its operators, which
   * later passes walk recursively (2,000 overflowed a 1 MiB stack); no published file comes near.
   */
  static final int MAX_OPERATORS = 1_000;

  /**
   * Parses {@code text} as written (no preprocessing), naming it {@code file} in diagnostics.
   *
   * @param file the file's display name
   * @param text its contents
   * @param diagnostics where syntax errors are reported
   * @return the syntax tree, and whether it is complete
   */
  public static Result parse(String file, String text, Diagnostics diagnostics) {
    return parse(file, new Preprocessor.Result(text, LineMap.identity(file), List.of(), List.of(),
        List.of(), List.of(), List.of(), false), diagnostics);
  }

  /**
   * Parses preprocessed text; positions are those of the original files. The integer
   * {@code %#define}s become pass-through constants.
   *
   * @param file the file's display name
   * @param preprocessed the preprocessor's output for it
   * @param diagnostics where syntax errors are reported
   * @return the syntax tree, and whether it is complete
   */
  public static Result parse(String file, Preprocessor.Result preprocessed, Diagnostics diagnostics) {
    LineMap map = preprocessed.lines();
    String[] lines = preprocessed.text().split("\r?\n", -1);
    SyntaxErrors listener = new SyntaxErrors(diagnostics, map, lines);
    IdlLexer lexer = new IdlLexer(CharStreams.fromString(preprocessed.text(), file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    listener.tokens(tokens);
    if (nestedTooDeep(tokens, listener)) {
      return new Result(Optional.empty(), List.of());
    }
    listener.beforeParsing();
    IdlParser parser = new IdlParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    parser.setErrorHandler(new KeepSemicolons());
    IdlParser.FileContext context = parser.file();
    SyntaxTreeBuilder builder = new SyntaxTreeBuilder(file, tokens, map);
    List<Import> imports = builder.imports(context);
    boolean whole = listener.errors() == 0;
    new AcceptedSlips(listener, map).report(context);
    if (!whole) {
      return new Result(Optional.empty(), imports);
    }
    XdrLong.warn(context, map, diagnostics);
    LoneStarArgument.warn(context, map, diagnostics);
    TwoNamedArgument.warn(context, map, diagnostics);
    List<DeclElement> passThrough = new ArrayList<>();
    for (PassThroughDefine define : preprocessed.passThroughDefines()) {
      passThroughConstant(file, define).ifPresent(passThrough::add);
    }
    return new Result(Optional.of(builder.file(context, passThrough)), imports);
  }

  /**
   * Reports the first bracket nested more than {@link #MAX_NESTING} deep, before the parser's
   * recursion would overflow the stack on it; true when there is one.
   */
  private static boolean nestedTooDeep(CommonTokenStream tokens, SyntaxErrors listener) {
    tokens.fill();
    int depth = 0;
    int operators = 0;
    for (Token token : tokens.getTokens()) {
      if (token.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      switch (token.getText()) {
        case "(", "[", "{" -> depth++;
        case ")", "]", "}" -> depth = Math.max(0, depth - 1);
        default -> { }
      }
      if (depth > MAX_NESTING) {
        listener.report(token.getLine(), token.getCharPositionInLine(), "'" + token.getText()
            + "' nested more than " + MAX_NESTING + " deep, deeper than idlc reads");
        return true;
      }
      switch (token.getText()) {
        case "+", "-", "*", "/", "%", "&", "|", "^", "~", "<<", ">>" -> operators++;
        case "(", ")" -> { }
        default -> {
          // Names and numbers go on; other punctuation (';', ',', ']', '>', '=' …) ends it.
          char first = token.getText().isEmpty() ? ';' : token.getText().charAt(0);
          if (!Character.isLetterOrDigit(first) && first != '_') {
            operators = 0;
          }
        }
      }
      if (operators > MAX_OPERATORS) {
        listener.report(token.getLine(), token.getCharPositionInLine(), "an expression of more than "
            + MAX_OPERATORS + " operators, more than idlc reads");
        return true;
      }
    }
    return false;
  }

  /** The constant a {@code %#define} line declares, when its value is a constant expression. */
  private static Optional<DeclElement> passThroughConstant(String file, PassThroughDefine define) {
    IdlLexer lexer = new IdlLexer(CharStreams.fromString(define.value(), file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column,
          String message, RecognitionException e) {
        throw new ParseCancellationException(message);
      }
    });
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    IdlParser parser = new IdlParser(tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      IdlParser.PassThroughValueContext value = parser.passThroughValue();
      SyntaxTreeBuilder builder = new SyntaxTreeBuilder(file, tokens, LineMap.fragment(
          define.valueLocation().file(), define.valueLocation().line(), define.valueLocation().column()));
      return Optional.of(new DeclElement.ConstDecl(define.location(), define.name(), null, List.of(),
          builder.expr(value.expr()), null, true));
    } catch (ParseCancellationException | RecognitionException e) {
      return Optional.empty();  // C, not a constant: rpcgen's C output has it, Java does not need it
    }
  }
}
