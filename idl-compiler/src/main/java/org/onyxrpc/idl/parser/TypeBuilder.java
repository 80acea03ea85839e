package org.onyxrpc.idl.parser;

import java.util.List;
import org.onyxrpc.idl.parser.Elements.Field;
import org.onyxrpc.idl.parser.TypeElement.BuiltinKind;

/** Builds {@link TypeElement}s from {@code typeSpecifier} and {@code typeRef} contexts. */
final class TypeBuilder extends IdlBaseVisitor<TypeElement> {
  private final SyntaxTreeBuilder tree;

  TypeBuilder(SyntaxTreeBuilder tree) {
    this.tree = tree;
  }

  private TypeElement builtin(org.antlr.v4.runtime.ParserRuleContext context, BuiltinKind kind) {
    return new TypeElement.Builtin(tree.location(context), kind);
  }

  @Override
  public TypeElement visitIntType(IdlParser.IntTypeContext context) {
    return builtin(context, context.UNSIGNED() != null ? BuiltinKind.UNSIGNED_INT : BuiltinKind.INT);
  }

  @Override
  public TypeElement visitLongType(IdlParser.LongTypeContext context) {
    // rpcgen maps C 'long' to a 32-bit XDR int.
    return builtin(context, context.UNSIGNED() != null ? BuiltinKind.UNSIGNED_INT : BuiltinKind.INT);
  }

  @Override
  public TypeElement visitHyperType(IdlParser.HyperTypeContext context) {
    return builtin(context,
        context.UNSIGNED() != null ? BuiltinKind.UNSIGNED_HYPER : BuiltinKind.HYPER);
  }

  @Override
  public TypeElement visitCharType(IdlParser.CharTypeContext context) {
    // rpcgen extensions: char and short travel as XDR ints (xdr_char, xdr_short) that C cuts
    // to its narrower type, so their range is kept.
    return builtin(context,
        context.UNSIGNED() != null ? BuiltinKind.UNSIGNED_CHAR : BuiltinKind.CHAR);
  }

  @Override
  public TypeElement visitShortType(IdlParser.ShortTypeContext context) {
    return builtin(context,
        context.UNSIGNED() != null ? BuiltinKind.UNSIGNED_SHORT : BuiltinKind.SHORT);
  }

  @Override
  public TypeElement visitUnsignedType(IdlParser.UnsignedTypeContext context) {
    return builtin(context, BuiltinKind.UNSIGNED_INT);
  }

  @Override
  public TypeElement visitFloatType(IdlParser.FloatTypeContext context) {
    return builtin(context, BuiltinKind.FLOAT);
  }

  @Override
  public TypeElement visitDoubleType(IdlParser.DoubleTypeContext context) {
    return builtin(context, BuiltinKind.DOUBLE);
  }

  @Override
  public TypeElement visitQuadrupleType(IdlParser.QuadrupleTypeContext context) {
    return builtin(context, BuiltinKind.QUADRUPLE);
  }

  @Override
  public TypeElement visitBoolType(IdlParser.BoolTypeContext context) {
    return builtin(context, BuiltinKind.BOOL);
  }

  @Override
  public TypeElement visitInlineEnumType(IdlParser.InlineEnumTypeContext context) {
    return new TypeElement.Inline(tree.location(context), new DeclElement.EnumDecl(
        tree.location(context), "", null, List.of(),
        context.enumValue().stream().map(tree::enumValue).toList()));
  }

  @Override
  public TypeElement visitInlineStructType(IdlParser.InlineStructTypeContext context) {
    return new TypeElement.Inline(tree.location(context), new DeclElement.StructDecl(
        tree.location(context), "", null, List.of(), tree.members(context.member()), false));
  }

  @Override
  public TypeElement visitInlineUnionType(IdlParser.InlineUnionTypeContext context) {
    Field defaultArm = context.defaultArm().isEmpty()
        ? null
        : tree.armField(context.defaultArm(0).armDeclaration());
    return new TypeElement.Inline(tree.location(context), new DeclElement.UnionDecl(
        tree.location(context), "", null, List.of(),
        tree.field(context.discriminant, context.discriminant, List.of()),
        context.caseArm().stream().map(tree::unionCase).toList(), defaultArm));
  }

  @Override
  public TypeElement visitNamedType(IdlParser.NamedTypeContext context) {
    return new TypeElement.Named(tree.location(context.name), context.name.getText());
  }

  @Override
  public TypeElement visitStringRef(IdlParser.StringRefContext context) {
    return new TypeElement.StringType(tree.location(context), tree.expr(context.size));
  }

  @Override
  public TypeElement visitFixedOpaqueRef(IdlParser.FixedOpaqueRefContext context) {
    return new TypeElement.Opaque(tree.location(context), tree.expr(context.size), true);
  }

  @Override
  public TypeElement visitVarOpaqueRef(IdlParser.VarOpaqueRefContext context) {
    return new TypeElement.Opaque(tree.location(context), tree.expr(context.size), false);
  }

  @Override
  public TypeElement visitOptionalRef(IdlParser.OptionalRefContext context) {
    return new TypeElement.Optional(tree.location(context), visit(context.typeSpecifier()));
  }

  @Override
  public TypeElement visitFixedArrayRef(IdlParser.FixedArrayRefContext context) {
    return new TypeElement.Array(tree.location(context), visit(context.typeSpecifier()),
        tree.expr(context.size), true);
  }

  @Override
  public TypeElement visitVarArrayRef(IdlParser.VarArrayRefContext context) {
    return new TypeElement.Array(tree.location(context), visit(context.typeSpecifier()),
        tree.expr(context.size), false);
  }

  @Override
  public TypeElement visitPlainRef(IdlParser.PlainRefContext context) {
    return visit(context.typeSpecifier());
  }
}
