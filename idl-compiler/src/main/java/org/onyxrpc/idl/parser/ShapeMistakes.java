package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.function.UnaryOperator;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Plain words for a definition of the wrong shape, where the parser can say only what it wanted
 * next: a procedure outside a version block or without its result type, a string discriminant,
 * an enum or union with nothing between its braces.
 */
final class ShapeMistakes {
  private final UnaryOperator<Token> previous;
  private final UnaryOperator<Token> next;

  /** {@code previous} and {@code next}: the visible token before and after one, or null. */
  ShapeMistakes(UnaryOperator<Token> previous, UnaryOperator<Token> next) {
    this.previous = previous;
    this.next = next;
  }

  /**
   * Two slips of people who know services from gRPC or Thrift, where the parser's own words
   * ("expected '}', '@' or 'version'", "expected identifier after 'h'") do not say what to write:
   * a procedure written straight in a service, outside a version block; and a procedure without
   * a result type, whose name the parser takes for the type (or, as likely, without a name). Else null.
   */
  String procedureMistake(Recognizer<?, ?> recognizer, Token offending) {
    if (!(recognizer instanceof Parser parser)) {
      return null;
    }
    ParserRuleContext context = parser.getContext();
    if (context instanceof IdlParser.ServiceDefContext service && service.name != null
        && offending.getType() != Token.EOF && !offending.getText().equals("}")
        && !offending.getText().equals("@") && offending.getType() != IdlParser.VERSION) {
      Token number = next.apply(offending);
      Token after = number == null ? null : next.apply(number);
      boolean versionShape = number != null && (number.getType() == IdlParser.NUMBER
          || number.getType() == IdlParser.IDENTIFIER && after != null && after.getText().equals("{"));
      if (offending.getType() == IdlParser.IDENTIFIER && versionShape
          && "version".equals(Spelling.nearest(offending.getText(), List.of("version")))) {
        // 'verison 1 {', or rpcgen's 'verison V1 {': no procedure starts with a name and then a
        // number or a name and '{', so it is the keyword.
        return "unexpected '" + offending.getText() + "'; did you mean 'version'?";
      }
      return "a procedure of service '" + service.name.getText() + "' goes inside a version block:"
          + " 'version 1 { … }' around the procedures";
    }
    Token before = previous.apply(offending);
    Token typeOrName = before == null ? null : previous.apply(before);
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
  Token stringDiscriminant(Token offending) {
    Token name = previous.apply(offending);
    Token type = name == null ? null : previous.apply(name);
    Token open = type == null ? null : previous.apply(type);
    Token keyword = open == null ? null : previous.apply(open);
    return offending.getText().equals(")") && keyword != null && keyword.getType() == IdlParser.SWITCH
        && open.getText().equals("(") && type.getType() == IdlParser.STRING ? type : null;
  }

  /**
   * A field or union arm of one word ('count;', or 'case 1: x;' with the type left out), where
   * the parser took the word for a type and could say only that the ';' was unexpected; else
   * null. Which half is missing only the writer knows, so both ways to finish it are named.
   */
  String loneWord(Recognizer<?, ?> recognizer, Token offending) {
    Token word = previous.apply(offending);
    Token before = word == null ? null : previous.apply(word);
    if (!(recognizer instanceof Parser parser) || !offending.getText().equals(";")
        || word == null || word.getType() != IdlParser.IDENTIFIER || before == null
        || !List.of("{", ";", ":").contains(before.getText())) {
      return null;
    }
    ParserRuleContext context = parser.getContext();
    boolean arm = inside(context, IdlParser.CaseArmContext.class)
        || inside(context, IdlParser.DefaultArmContext.class);
    if (!arm && !inside(context, IdlParser.MemberContext.class)) {
      return null;
    }
    String text = word.getText();
    return "'" + text + "' alone declares nothing: a " + (arm ? "union arm" : "field")
        + " is a type and a name ('int " + text + ";' if '" + text + "' is the name, '" + text
        + " value;' if it is the type" + (arm ? "; 'void;' for an arm without data)" : ")");
  }

  /**
   * A program, typedef or constant written inside a struct or union, where the parser says only
   * that the keyword was unexpected (rpcgen: "expected type specifier"); else null. A '}' left
   * out before it is the likely cause, so that is what the words ask for.
   */
  String definitionInside(Recognizer<?, ?> recognizer, Token offending) {
    String kind = switch (offending.getType()) {
      case IdlParser.PROGRAM -> "a program";
      case IdlParser.TYPEDEF -> "a typedef";
      case IdlParser.CONST -> "a constant";
      default -> null;
    };
    if (kind == null || !(recognizer instanceof Parser parser)) {
      return null;
    }
    for (ParserRuleContext c = parser.getContext(); c != null; c = c.getParent()) {
      if (c instanceof IdlParser.StructDefContext struct && struct.name != null) {
        return kind + " is declared on its own, not inside struct '" + struct.name.getText()
            + "': end the struct with '};' before it";
      }
      if (c instanceof IdlParser.UnionDefContext union && union.name != null) {
        return kind + " is declared on its own, not inside union '" + union.name.getText()
            + "': end the union with '};' before it";
      }
    }
    return null;
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
  String emptyBody(Recognizer<?, ?> recognizer, Token offending) {
    Token before = previous.apply(offending);
    if (!(recognizer instanceof Parser parser) || !offending.getText().equals("}")
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
}
