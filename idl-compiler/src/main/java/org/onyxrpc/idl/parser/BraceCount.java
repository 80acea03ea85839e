package org.onyxrpc.idl.parser;

import java.util.IdentityHashMap;
import java.util.Map;
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
 * read where a definition should start) is an echo of the first one, not the writer's. One per
 * parse; each token and each top-level definition is counted once, so a file of garbage with an
 * error at every token costs time in proportion to its size.
 */
final class BraceCount {
  private static final int OPEN = literalType("'{'");
  private static final int CLOSE = literalType("'}'");

  private final CommonTokenStream tokens;
  /** '{' minus '}' before each token; made at the first question, when every token is read. */
  private int[] writtenBefore;
  /** Top-level rules looked at for {@link #agreement}, and what the last well-formed one left. */
  private int scannedDefinitions;
  private int agreement;
  /** Per rule asked about: how many of its children were counted, and their braces. */
  private final Map<ParserRuleContext, int[]> counts = new IdentityHashMap<>();

  BraceCount(CommonTokenStream tokens) {
    this.tokens = tokens;
  }

  /**
   * Whether the braces the parser believes open before {@code offending} differ from those
   * written, beyond the difference where the parser last stood on firm ground: the start of the
   * definition it is in, begun after the previous error ({@code lastError}, a token index), or
   * else the end of the last definition parsed without an error. (A '{' the writer never closed,
   * or a namespace the recovery left, keeps its difference, and later mistakes are still the
   * writer's.)
   */
  boolean outOfStep(Parser parser, Token offending, int lastError) {
    ParserRuleContext context = parser.getContext();
    int difference = written(offending.getTokenIndex()) - parserDepth(context);
    ParserRuleContext definition = context;
    while (definition != null && !(definition instanceof IdlParser.DefinitionContext)) {
      definition = definition.getParent();
    }
    if (definition != null && definition.getStart() != null
        && definition.getStart().getTokenIndex() > lastError
        && definition.getStart().getTokenIndex() < offending.getTokenIndex()) {
      int start = definition.getStart().getTokenIndex();
      return difference != written(start) - parserDepth(definition.getParent());
    }
    return difference != lastAgreement(context);
  }

  /** '{' minus '}' in the text before token {@code index}. */
  private int written(int index) {
    if (writtenBefore == null) {
      tokens.fill();
      writtenBefore = new int[tokens.size() + 1];
      for (int i = 0; i < tokens.size(); i++) {
        Token token = tokens.get(i);
        int step = token.getChannel() != Token.DEFAULT_CHANNEL ? 0
            : token.getType() == OPEN ? 1 : token.getType() == CLOSE ? -1 : 0;
        writtenBefore[i + 1] = writtenBefore[i] + step;
      }
    }
    return writtenBefore[Math.max(0, Math.min(index, writtenBefore.length - 1))];
  }

  /** '{' minus '}' the rules being parsed have matched, or made up in recovery (not skipped). */
  private int parserDepth(ParserRuleContext context) {
    int depth = 0;
    for (ParserRuleContext rule = context; rule != null; rule = rule.getParent()) {
      depth += braces(rule);
    }
    return depth;
  }

  /**
   * The braces among {@code rule}'s own children. A rule's children only grow at the end and its
   * tokens never change, so each is counted once: the file's thousands of definitions are not
   * walked again at every error.
   */
  private int braces(ParserRuleContext rule) {
    int[] counted = counts.computeIfAbsent(rule, r -> new int[2]); // children seen, their braces
    for (; counted[0] < rule.getChildCount(); counted[0]++) {
      if (rule.getChild(counted[0]) instanceof TerminalNode terminal) {
        Token token = terminal.getSymbol();
        boolean skipped = terminal instanceof ErrorNode && token.getTokenIndex() >= 0;
        if (!skipped) {
          counted[1] += token.getType() == OPEN ? 1 : token.getType() == CLOSE ? -1 : 0;
        }
      }
    }
    return counted[1];
  }

  /**
   * The written depth after the last top-level definition parsed without error (0 before any).
   * Top-level rules only grow at the end, and a finished one never changes: each is looked at once.
   */
  private int lastAgreement(ParserRuleContext context) {
    ParserRuleContext root = context;
    while (root != null && root.getParent() != null) {
      root = root.getParent();
    }
    for (; root != null && scannedDefinitions < root.getChildCount(); scannedDefinitions++) {
      ParseTree child = root.getChild(scannedDefinitions);
      if (child instanceof ParserRuleContext rule) {
        if (rule.getStop() == null) {
          break; // still being parsed
        }
        if (SyntaxErrors.wellFormed(rule)) {
          agreement = written(rule.getStop().getTokenIndex() + 1);
        }
      }
    }
    return agreement;
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
