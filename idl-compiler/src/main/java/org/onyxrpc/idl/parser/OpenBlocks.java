package org.onyxrpc.idl.parser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.onyxrpc.idl.preprocess.LineMap;

/**
 * The blocks of a file's tokens: those it leaves open where it ends, for "unexpected end of
 * file: ...", and where the block a token is in ends, for what an error's recovery skips.
 */
final class OpenBlocks {
  private OpenBlocks() {}

  /** Keywords that a block's '{' follows: 'struct point {', 'version 1 {', 'union switch (...) {'. */
  private static final Set<Integer> BLOCK_KEYWORDS = Set.of(IdlParser.STRUCT, IdlParser.ENUM,
      IdlParser.UNION, IdlParser.EXCEPTION, IdlParser.PROGRAM, IdlParser.SERVICE, IdlParser.VERSION,
      IdlParser.NAMESPACE);

  /**
   * The blocks the text leaves open, innermost first, as "struct 'point' (opened at f.x:3:1)":
   * counted in the tokens as written, since the parser, at a "no viable alternative", has not yet
   * taken the '{' it looked ahead at.
   */
  static List<String> of(CommonTokenStream tokens, LineMap map) {
    tokens.fill();
    ArrayDeque<Integer> open = new ArrayDeque<>();
    for (Token token : tokens.getTokens()) {
      if (token.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      if (token.getText().equals("{")) {
        open.push(token.getTokenIndex());
      } else if (token.getText().equals("}") && !open.isEmpty()) {
        open.pop();
      }
    }
    List<String> blocks = new ArrayList<>();
    for (int brace : open) {
      blocks.add(block(tokens, map, brace));
    }
    return blocks;
  }

  /**
   * The block a '{' opens, by the keyword before it: "struct 'point' (opened at f.x:3:1)",
   * "version 1 (...)", "anonymous union (...)"; "'{' (opened at ...)" when no keyword
   * is found.
   */
  private static String block(CommonTokenStream tokens, LineMap map, int brace) {
    int depth = 0;
    for (int i = brace - 1; i >= 0; i--) {
      Token token = tokens.get(i);
      if (token.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      String text = token.getText();
      if (text.equals(")")) {
        depth++;  // a union's 'switch (...)', whose discriminant may be an enum
      } else if (text.equals("(")) {
        depth--;
      } else if (depth == 0 && (text.equals(";") || text.equals("{") || text.equals("}"))) {
        break;
      } else if (depth == 0 && BLOCK_KEYWORDS.contains(token.getType())) {
        Token next = next(tokens, token);
        boolean anonymous = next == null || next.getTokenIndex() == brace
            || next.getType() == IdlParser.SWITCH;
        String name = anonymous ? "" : next.getType() == IdlParser.NUMBER ? " " + next.getText()
            : " '" + next.getText() + "'";
        return (anonymous ? "anonymous " : "") + text + name + " (opened at "
            + map.locate(token.getLine(), token.getCharPositionInLine() + 1) + ")";
      }
    }
    Token open = tokens.get(brace);
    return "'{' (opened at " + map.locate(open.getLine(), open.getCharPositionInLine() + 1) + ")";
  }

  /** The token after {@code token} on the default channel, or null at the end. */
  static Token next(CommonTokenStream tokens, Token token) {
    for (int i = token.getTokenIndex() + 1; i < tokens.size(); i++) {
      Token candidate = tokens.get(i);
      if (candidate.getChannel() == Token.DEFAULT_CHANNEL) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The index of the ';' after the '}' that closes the block {@code from} is in (one level up),
   * or of the next ';' when there is none.
   */
  static int endOfEnclosingDefinition(CommonTokenStream tokens, int from) {
    tokens.fill();
    List<Token> all = tokens.getTokens();
    int depth = 1;
    for (int i = from; i < all.size(); i++) {
      String text = all.get(i).getText();
      depth += text.equals("{") ? 1 : text.equals("}") ? -1 : 0;
      if (depth == 0) {
        return nextSemicolon(tokens, i);
      }
    }
    return nextSemicolon(tokens, from);
  }

  /** The index of the first ';' at or after {@code from}, or {@code from} if none follows. */
  static int nextSemicolon(CommonTokenStream tokens, int from) {
    tokens.fill();
    List<Token> all = tokens.getTokens();
    for (int i = from; i < all.size(); i++) {
      if (all.get(i).getText().equals(";")) {
        return i;
      }
    }
    return from;
  }

  /**
   * What the file ends inside of, for "unexpected end of file: ...": the blocks whose '}' is
   * missing, innermost first ("version 'V' (opened at f.x:2:3) is not closed, nor program 'P'
   * (opened at f.x:1:1)"), else the definition left unfinished ("typedef (begun at f.x:1:1) is
   * not finished"), with what the parser expected when that is short; null at the top level.
   */
  static String atEnd(Parser parser, List<String> blocks, String message, LineMap map) {
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
}
