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
import org.onyxrpc.idl.Diagnostics;
import org.onyxrpc.idl.Location;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.onyxrpc.idl.parser.Elements.Import;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.preprocess.Preprocessor;

/** Parses one {@code .idl} text into a {@link FileElement}, reporting syntax errors as diagnostics. */
public final class IdlFileParser {
  private IdlFileParser() {}

  /** The outcome of parsing one file: the tree when it had no syntax error, and its imports. */
  public record Result(Optional<FileElement> tree, List<Import> imports) {}

  /** ANTLR's message with token names a user knows ("identifier" for the names the grammar allows). */
  static String readable(String message) {
    return message
        .replace("{'package', 'import', 'service', 'exception', 'oneway', 'throws', IDENTIFIER}",
            "identifier")
        .replace("'package', 'import', 'service', 'exception', 'oneway', 'throws', IDENTIFIER",
            "identifier")
        .replace("IDENTIFIER", "identifier")
        .replace("STRING_LITERAL", "string literal")
        .replace("NUMBER", "number")
        .replace("<EOF>", "end of file")
        .replace("{'(', '-', '+', '~', identifier, number}", "a constant expression");
  }

  /**
   * The keyword a syntax error stumbled on, if it is one that can never be a name (rpcgen
   * reserves them too): "no viable alternative at input 'hyperversion'" helps nobody.
   */
  private static String reservedWord(Recognizer<?, ?> recognizer, Object offendingSymbol) {
    if (!(offendingSymbol instanceof org.antlr.v4.runtime.Token token) || token.getText() == null) {
      return null;
    }
    String text = token.getText();
    String symbol = recognizer.getVocabulary().getSymbolicName(token.getType());
    boolean keyword = text.matches("[a-z]+") && text.toUpperCase(java.util.Locale.ROOT).equals(symbol);
    return keyword && !IDENT_KEYWORDS.contains(token.getType()) ? text : null;
  }

  /** Words that are keywords only where Onyx adds syntax, and names elsewhere (the ident rule). */
  private static final java.util.Set<Integer> IDENT_KEYWORDS = java.util.Set.of(IdlParser.PACKAGE,
      IdlParser.IMPORT, IdlParser.SERVICE, IdlParser.EXCEPTION, IdlParser.ONEWAY, IdlParser.THROWS);

  /** The offending source line and a caret under the column, as two context lines. */
  static String[] excerpt(String[] lines, int line, int column) {
    if (line < 1 || line > lines.length) {
      return new String[0];
    }
    String source = lines[line - 1].replace('\t', ' ').stripTrailing();
    if (source.isBlank()) {
      return new String[0];
    }
    return new String[] {source, " ".repeat(Math.min(column, source.length())) + "^"};
  }

  /** Parses {@code text} as written (no preprocessing), naming it {@code file} in diagnostics. */
  public static Result parse(String file, String text, Diagnostics diagnostics) {
    return parse(file, new Preprocessor.Result(text, LineMap.identity(file), List.of()), diagnostics);
  }

  /**
   * Parses preprocessed text; positions are those of the original files. The integer
   * {@code %#define}s become pass-through constants.
   */
  public static Result parse(String file, Preprocessor.Result preprocessed, Diagnostics diagnostics) {
    int[] errors = {0};
    LineMap map = preprocessed.lines();
    String[] lines = preprocessed.text().split("\r?\n", -1);
    BaseErrorListener listener = new BaseErrorListener() {
      @Override
      public void syntaxError(
          Recognizer<?, ?> recognizer,
          Object offendingSymbol,
          int line,
          int charPositionInLine,
          String message,
          RecognitionException e) {
        errors[0]++;
        boolean nameExpected = message.startsWith("no viable alternative")
            || message.startsWith("mismatched input") && message.contains("IDENTIFIER");
        String reserved = nameExpected ? reservedWord(recognizer, offendingSymbol) : null;
        diagnostics.error(map.locate(line, charPositionInLine + 1),
            reserved != null ? "'" + reserved + "' is a reserved word of the RPC language and"
                + " cannot be used as a name" : readable(message),
            excerpt(lines, line, charPositionInLine));
      }
    };
    IdlLexer lexer = new IdlLexer(CharStreams.fromString(preprocessed.text(), file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    IdlParser parser = new IdlParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    IdlParser.FileContext context = parser.file();
    SyntaxTreeBuilder builder = new SyntaxTreeBuilder(file, tokens, map);
    List<Import> imports = builder.imports(context);
    if (errors[0] > 0) {
      return new Result(Optional.empty(), imports);
    }
    List<DeclElement> passThrough = new ArrayList<>();
    for (Preprocessor.PassThroughDefine define : preprocessed.passThroughDefines()) {
      passThroughConstant(file, define).ifPresent(passThrough::add);
    }
    return new Result(Optional.of(builder.file(context, passThrough)), imports);
  }

  /** The constant a {@code %#define} line declares, when its value is a constant expression. */
  private static Optional<DeclElement> passThroughConstant(String file, Preprocessor.PassThroughDefine define) {
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
