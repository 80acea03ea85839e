package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Tells whether the parser, recovering from an earlier syntax error, has lost count of the
 * braces: it made up a '}' the writer never wrote, or skipped one, so it now reads the rest of a
 * struct or version block as if it stood elsewhere. A "mistake" found in that state (a field
 * read where a definition should start) is an echo of the first one, not the writer's.
 */
final class BraceCount {
  private static final int OPEN = literalType("'{'");
  private static final int CLOSE = literalType("'}'");

  private BraceCount() {}

  /**
   * Whether the braces the parser believes open before {@code offending} differ from those
   * written, beyond the difference where the parser last stood on firm ground: the start of the
   * definition it is in, begun after the previous error ({@code lastError}, a token index), or
   * else the end of the last definition parsed without an error. (A '{' the writer never closed,
   * or a namespace the recovery left, keeps its difference, and later mistakes are still the
   * writer's.)
   */
  static boolean outOfStep(Parser parser, CommonTokenStream tokens, Token offending, int lastError) {
    ParserRuleContext context = parser.getContext();
    int difference = writtenDepth(tokens, offending.getTokenIndex()) - parserDepth(context);
    ParserRuleContext definition = context;
    while (definition != null && !(definition instanceof IdlParser.DefinitionContext)) {
      definition = definition.getParent();
    }
    if (definition != null && definition.getStart() != null
        && definition.getStart().getTokenIndex() > lastError
        && definition.getStart().getTokenIndex() < offending.getTokenIndex()) {
      int start = definition.getStart().getTokenIndex();
      return difference != writtenDepth(tokens, start) - parserDepth(definition.getParent());
    }
    return difference != lastAgreement(context, tokens, offending);
  }

  /** '{' minus '}' in the text before token {@code end}. */
  private static int writtenDepth(CommonTokenStream tokens, int end) {
    int depth = 0;
    for (int i = 0; i < end && i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.getChannel() == Token.DEFAULT_CHANNEL) {
        depth += token.getType() == OPEN ? 1 : token.getType() == CLOSE ? -1 : 0;
      }
    }
    return depth;
  }

  /** '{' minus '}' the rules being parsed have matched, or made up in recovery (not skipped). */
  private static int parserDepth(ParserRuleContext context) {
    int depth = 0;
    for (ParserRuleContext rule = context; rule != null; rule = rule.getParent()) {
      for (int i = 0; i < rule.getChildCount(); i++) {
        if (rule.getChild(i) instanceof TerminalNode terminal) {
          Token token = terminal.getSymbol();
          boolean skipped = terminal instanceof ErrorNode && token.getTokenIndex() >= 0;
          if (!skipped) {
            depth += token.getType() == OPEN ? 1 : token.getType() == CLOSE ? -1 : 0;
          }
        }
      }
    }
    return depth;
  }

  /** The written depth after the last top-level definition parsed without error (0 before any). */
  private static int lastAgreement(ParserRuleContext context, CommonTokenStream tokens, Token offending) {
    ParserRuleContext root = context;
    while (root != null && root.getParent() != null) {
      root = root.getParent();
    }
    for (int i = root == null ? -1 : root.getChildCount() - 1; i >= 0; i--) {
      ParseTree child = root.getChild(i);
      if (child instanceof ParserRuleContext rule && rule.getStop() != null
          && rule.getStop().getTokenIndex() < offending.getTokenIndex() && SyntaxErrors.wellFormed(rule)) {
        return writtenDepth(tokens, rule.getStop().getTokenIndex() + 1);
      }
    }
    return 0;
  }

  private static int literalType(String literal) {
    for (int type = 1; type <= IdlParser.VOCABULARY.getMaxTokenType(); type++) {
      if (literal.equals(IdlParser.VOCABULARY.getLiteralName(type))) {
        return type;
      }
    }
    throw new IllegalStateException("no token " + literal + " in the grammar");
  }
}
