package org.onyxrpc.idl.parser;

import java.util.List;
import org.onyxrpc.idl.parser.Elements.Annotation;
import org.onyxrpc.idl.parser.Elements.Field;

/** Builds a {@link DeclElement} from each alternative of {@code definitionBody}. */
final class DefinitionBuilder extends IdlBaseVisitor<DeclElement> {
  private final SyntaxTreeBuilder tree;

  DefinitionBuilder(SyntaxTreeBuilder tree) {
    this.tree = tree;
  }

  private List<Annotation> annotations(IdlParser.DefinitionBodyContext body) {
    return tree.annotations(((IdlParser.DefinitionContext) body.getParent()).annotation());
  }

  @Override
  public DeclElement visitConstDef(IdlParser.ConstDefContext context) {
    String text = context.text == null ? null : SyntaxTreeBuilder.unquote(context.text.getText());
    return new DeclElement.ConstDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context), tree.expr(context.value), text, false);
  }

  @Override
  public DeclElement visitEnumDef(IdlParser.EnumDefContext context) {
    return new DeclElement.EnumDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context),
        context.enumValue().stream().map(tree::enumValue).toList());
  }

  @Override
  public DeclElement visitStructDef(IdlParser.StructDefContext context) {
    return new DeclElement.StructDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context), members(context.member()), false);
  }

  @Override
  public DeclElement visitExceptionDef(IdlParser.ExceptionDefContext context) {
    return new DeclElement.StructDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context), members(context.member()), true);
  }

  private List<Field> members(List<IdlParser.MemberContext> members) {
    return tree.members(members);
  }

  @Override
  public DeclElement visitUnionDef(IdlParser.UnionDefContext context) {
    Field discriminant = tree.field(context.discriminant, context.discriminant, List.of());
    Field defaultArm = context.defaultArm().isEmpty()
        ? null
        : tree.armField(context.defaultArm(0).armDeclaration());
    return new DeclElement.UnionDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context), discriminant,
        context.caseArm().stream().map(tree::unionCase).toList(), defaultArm);
  }

  @Override
  public DeclElement visitTypedefDef(IdlParser.TypedefDefContext context) {
    Field declaration = tree.field(context.declaration(), context, List.of());
    return new DeclElement.TypedefDecl(declaration.location(), declaration.name(),
        declaration.doc(), annotations(context), declaration);
  }

  @Override
  public DeclElement visitServiceDef(IdlParser.ServiceDefContext context) {
    return new DeclElement.ServiceDecl(tree.location(context.name), context.name.getText(),
        tree.doc(context), annotations(context), context.PROGRAM() != null,
        context.versionDef().stream().map(tree::version).toList(), tree.expr(context.number));
  }
}
