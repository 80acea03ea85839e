package org.onyxrpc.idl.parser;

import java.util.List;
import org.onyxrpc.idl.parser.Elements.Field;

/** Builds a bare {@link Field} (name and type) from a {@code declaration} context. */
final class FieldBuilder extends IdlBaseVisitor<Field> {
  private final SyntaxTreeBuilder tree;

  FieldBuilder(SyntaxTreeBuilder tree) {
    this.tree = tree;
  }

  private Field field(IdlParser.IdentContext name, TypeElement type) {
    return new Field(tree.location(name), name.getText(), null, List.of(), type);
  }

  @Override
  public Field visitPlainDecl(IdlParser.PlainDeclContext context) {
    return field(context.name, tree.type(context.typeSpecifier()));
  }

  @Override
  public Field visitFixedArrayDecl(IdlParser.FixedArrayDeclContext context) {
    TypeElement element = tree.type(context.typeSpecifier());
    return field(context.name, new TypeElement.Array(
        tree.location(context), element, tree.expr(context.size), true));
  }

  @Override
  public Field visitVarArrayDecl(IdlParser.VarArrayDeclContext context) {
    TypeElement element = tree.type(context.typeSpecifier());
    return field(context.name, new TypeElement.Array(
        tree.location(context), element, tree.expr(context.size), false));
  }

  @Override
  public Field visitFixedOpaqueDecl(IdlParser.FixedOpaqueDeclContext context) {
    return field(context.name,
        new TypeElement.Opaque(tree.location(context), tree.expr(context.size), true));
  }

  @Override
  public Field visitVarOpaqueDecl(IdlParser.VarOpaqueDeclContext context) {
    return field(context.name,
        new TypeElement.Opaque(tree.location(context), tree.expr(context.size), false));
  }

  @Override
  public Field visitStringDecl(IdlParser.StringDeclContext context) {
    return field(context.name,
        new TypeElement.StringType(tree.location(context), tree.expr(context.size)));
  }

  @Override
  public Field visitOptionalDecl(IdlParser.OptionalDeclContext context) {
    TypeElement element = tree.type(context.typeSpecifier());
    return field(context.name, new TypeElement.Optional(tree.location(context), element));
  }
}
