package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The runs of one-line declarations a {@code .x} file writes under one comment: consts or
 * typedefs, struct fields, enum values or procedures on consecutive lines, none with a comment
 * of its own above it. Such a comment heads the run ({@code /* CURRENT_FH: file *}{@code /}
 * over NFSv4's argument fields, {@code /* TAPE INTERFACE *}{@code /} over NDMP's message
 * numbers): it is the doc of every member without a trailing comment of its own, with those
 * members named, and no more the first member's alone.
 */
final class CommentGroups {
  /** Beyond this many members a run is named by its first and last. */
  private static final int LISTED = 4;

  private CommentGroups() {}

  /**
   * The runs of two or more members in the list {@code context} is in (it among them), in
   * order; none where {@code context} is no member a heading may cover. {@code adjacent} tells
   * whether a member follows the one before it with nothing between them but the earlier one's
   * trailing comment (no blank line, no comment above it, no {@code %} line).
   */
  static List<List<ParserRuleContext>> runs(ParserRuleContext context,
      BiPredicate<ParserRuleContext, ParserRuleContext> adjacent) {
    List<ParserRuleContext> siblings = siblings(context);
    List<List<ParserRuleContext>> runs = new ArrayList<>();
    int first = 0;
    for (int i = 1; i <= siblings.size(); i++) {
      ParserRuleContext before = siblings.get(i - 1);
      ParserRuleContext after = i < siblings.size() ? siblings.get(i) : null;
      if (before == null || after == null || !adjacent.test(before, after)) {
        if (i - first >= 2 && before != null) {
          runs.add(siblings.subList(first, i));
        }
        first = i;
      }
    }
    return runs;
  }

  /** The heading comment's text with the members it documents named, as their doc. */
  static String memberDoc(String heading, List<ParserRuleContext> members) {
    List<String> names = members.stream().map(CommentGroups::name).toList();
    String named = names.size() <= LISTED
        ? String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
        : "the " + names.size() + " declarations " + names.get(0) + " to " + names.get(names.size() - 1);
    return heading + "\n(The .x file's comment above " + named + ".)";
  }

  /**
   * The members of {@code context}'s list that a heading may cover: its parent's children of
   * its own kind, a file's consts and typedefs only (a struct or program is a block of its own).
   * Empty for anything else (union arms, versions).
   */
  private static List<ParserRuleContext> siblings(ParserRuleContext context) {
    if (!isMember(context) || context.getParent() == null) {
      return List.of();
    }
    List<ParserRuleContext> siblings = new ArrayList<>();
    for (int i = 0; i < context.getParent().getChildCount(); i++) {
      ParseTree child = context.getParent().getChild(i);
      if (child instanceof ParserRuleContext rule && rule.getClass() == context.getClass()
          && oneLine(rule)) {
        siblings.add(rule);
      } else if (child instanceof ParserRuleContext) {
        siblings.add(null); // something else between: the run stops there
      }
    }
    return siblings;
  }

  private static boolean isMember(ParserRuleContext context) {
    return context instanceof IdlParser.DefinitionContext || context instanceof IdlParser.MemberContext
        || context instanceof IdlParser.EnumValueContext || context instanceof IdlParser.ProcedureContext;
  }

  private static boolean oneLine(ParserRuleContext member) {
    return !(member instanceof IdlParser.DefinitionContext definition)
        || definition.definitionBody() instanceof IdlParser.ConstDefContext
        || definition.definitionBody() instanceof IdlParser.TypedefDefContext;
  }

  private static String name(ParserRuleContext context) {
    if (context instanceof IdlParser.EnumValueContext value) {
      return value.name.getText();
    }
    if (context instanceof IdlParser.ProcedureContext procedure) {
      return procedure.name.getText();
    }
    if (context instanceof IdlParser.MemberContext member) {
      return declared(member.declaration());
    }
    IdlParser.DefinitionBodyContext body = ((IdlParser.DefinitionContext) context).definitionBody();
    return body instanceof IdlParser.ConstDefContext constant ? constant.name.getText()
        : declared(((IdlParser.TypedefDefContext) body).declaration());
  }

  /** The name a declaration declares (its type's own name, if any, is a grandchild). */
  private static String declared(IdlParser.DeclarationContext declaration) {
    return declaration.getRuleContext(IdlParser.IdentContext.class, 0).getText();
  }
}
