package org.onyxrpc.idl.parser;

import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;

/**
 * The pass over a parsed file that reports what the grammar accepts only to word it well, after
 * {@link SyntaxErrors} has reported what the parser could not take.
 */
final class AcceptedSlips {
  private final SyntaxErrors errors;
  private final LineMap map;

  AcceptedSlips(SyntaxErrors errors, LineMap map) {
    this.errors = errors;
    this.map = map;
  }

  /**
   * Reports the slips the grammar accepts so as to word them well: a field, arm or procedure
   * whose {@code ;} is missing (at its end), a bound after a procedure's parameters. The tree
   * is still whole, so the file is checked further and its other mistakes reported too.
   */
  void report(ParseTree tree) {
    // Parts that error recovery made up are left alone: the syntax error said what was wrong.
    if (tree instanceof ParserRuleContext rule && SyntaxErrors.wellFormed(rule)) {
      String what = lacksSemicolon(rule);
      if (what != null && !errors.errorRightAfter(rule.getStop()) && !errors.errorAt(rule.getStart())) {
        errors.reportAfter(rule.getStop(), "expected ';' after " + what);
      }
      List<IdlParser.DefaultArmContext> defaults = rule instanceof IdlParser.UnionDefContext union
          ? union.defaultArm() : rule instanceof IdlParser.InlineUnionTypeContext inline
          ? inline.defaultArm() : List.of();
      for (int i = 1; i < defaults.size(); i++) {
        Token first = defaults.get(0).getStart();
        Token again = defaults.get(i).getStart();
        errors.report(again.getLine(), again.getCharPositionInLine(), "a union has one default arm;"
            + " the first is at " + map.locate(first.getLine(), first.getCharPositionInLine() + 1));
      }
      if (rule instanceof IdlParser.ProcedureContext procedure && procedure.misplacedNameBound != null) {
        reportMisplacedBound(procedure, procedure.misplacedNameBound,
            "the name '" + procedure.name.getText() + "'");
      }
      if (rule instanceof IdlParser.ProcedureContext procedure && procedure.misplacedBound != null) {
        reportMisplacedBound(procedure, procedure.misplacedBound,
            "the parameters of '" + procedure.name.getText() + "'");
      }
      // A result with a misplaced bound was reported above, with where its bound goes.
      if (rule instanceof IdlParser.ProcedureContext procedure && procedure.misplacedNameBound == null
          && procedure.misplacedBound == null && procedure.result.typeRef() != null) {
        reportBareOpaque(procedure.result.typeRef(), "opaque");
      }
      if (rule instanceof IdlParser.ParameterContext parameter) {
        if (parameter.OPAQUE() != null) {
          reportBareOpaque(parameter, "opaque " + parameter.name.getText());
        } else if (parameter.typeRef() != null) {
          reportBareOpaque(parameter.typeRef(), "opaque");
        }
      }
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      report(tree.getChild(i));
    }
  }

  /**
   * {@code opaque} without a length ({@code opaque F(s)}, {@code F(opaque)}, {@code F(opaque x)}):
   * unlike {@code string}, which rpcgen reads alone as an unbounded string, it names no XDR type,
   * and rpcgen rejects it ("illegal result type", "opaque -- illegal argument type"). Taking it
   * for {@code opaque<>} would guess at the length the author meant.
   */
  private void reportBareOpaque(ParserRuleContext rule, String written) {
    boolean bare = rule instanceof IdlParser.ParameterContext
        || rule instanceof IdlParser.VarOpaqueRefContext && rule.getChildCount() == 1;
    if (bare) {
      Token start = rule.getStart();
      errors.report(start.getLine(), start.getCharPositionInLine(), "'" + written
          + "' needs a length: '" + written + "<>' for any number of bytes, '" + written
          + "<N>' for at most N, '" + written + "[N]' for exactly N (rpcgen rejects it too)");
    }
  }

  /**
   * A bound written after a procedure's name (as a field's is: {@code hyper ids<>()}) or after its
   * parameters: it belongs to the result type, before the name ({@code hyper<> ids()}).
   */
  private void reportMisplacedBound(IdlParser.ProcedureContext procedure, ParserRuleContext bound,
      String after) {
    Token open = bound.getStart();
    String name = procedure.name.getText();
    String text = source(bound);
    String message = "'" + text + "' cannot follow " + after + ": ";
    IdlParser.TypeRefContext type = procedure.result.typeRef();
    boolean unbounded = type instanceof IdlParser.PlainRefContext
        || (type instanceof IdlParser.StringRefContext || type instanceof IdlParser.VarOpaqueRefContext)
            && type.getChildCount() == 1;
    if (type == null) {
      message += "'void' takes no bound";
    } else if (unbounded) {
      message += "a bound belongs to the result type, before the name ('" + source(type) + text + " "
          + name + "(...)')";
    } else {
      // 'string<8> names<4>()': a result type has one bound at most; an array of them is a typedef's.
      message += "an array of '" + source(type) + "' needs a typedef that names that type first";
    }
    errors.report(open.getLine(), open.getCharPositionInLine(), message);
  }

  /**
   * The text of {@code rule} as written, spaces between words kept ({@code getText()} joins the
   * tokens: "unsignedhyper"), each run of white space one space.
   */
  private static String source(ParserRuleContext rule) {
    Token start = rule.getStart();
    Token stop = rule.getStop();
    String text = start.getInputStream().getText(Interval.of(start.getStartIndex(), stop.getStopIndex()));
    return text.replaceAll("\\s+", " ");
  }

  /** What {@code rule} declares when it should end with a {@code ;} and does not, else null. */
  private static String lacksSemicolon(ParserRuleContext rule) {
    if (rule instanceof IdlParser.MemberContext member && member.semi == null) {
      return "field '" + name(member.declaration()) + "'";
    }
    if (rule instanceof IdlParser.CaseArmContext arm && arm.semi == null) {
      return "the union arm";
    }
    if (rule instanceof IdlParser.DefaultArmContext arm && arm.semi == null) {
      return "the default arm";
    }
    if (rule instanceof IdlParser.ProcedureContext procedure && procedure.semi == null) {
      return "procedure '" + procedure.name.getText() + "'";
    }
    if (rule instanceof IdlParser.DefinitionContext definition && definition.semi == null) {
      return rpcl(definition.definitionBody());
    }
    // 'version 1 { ... }' in a service is Onyx's own and may end without one.
    if (rule instanceof IdlParser.VersionDefContext version && version.semi == null && version.name != null) {
      return "version '" + version.name.getText() + "'";
    }
    return null;
  }

  /**
   * What an RPCL definition declares, which rpcgen wants a {@code ;} after; null for Onyx's own
   * {@code service} and {@code exception}, which may end without one.
   */
  private static String rpcl(IdlParser.DefinitionBodyContext body) {
    if (body instanceof IdlParser.ServiceDefContext service && service.kind.getType() == IdlParser.SERVICE
        || body instanceof IdlParser.ExceptionDefContext) {
      return null;
    }
    String name = body instanceof IdlParser.TypedefDefContext typedef
        ? name(typedef.declaration()) : body.getChild(1).getText();
    return body.getStart().getText() + " '" + name + "'";
  }

  private static String name(IdlParser.DeclarationContext declaration) {
    for (int i = declaration.getChildCount() - 1; i >= 0; i--) {
      if (declaration.getChild(i) instanceof IdlParser.IdentContext ident) {
        return ident.getText();
      }
    }
    return declaration.getText();
  }
}
