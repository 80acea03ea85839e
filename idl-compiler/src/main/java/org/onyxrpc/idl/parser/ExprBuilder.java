package org.onyxrpc.idl.parser;

/** Builds {@link ExprElement}s from {@code expr} contexts. */
final class ExprBuilder extends IdlBaseVisitor<ExprElement> {
  private final SyntaxTreeBuilder tree;

  ExprBuilder(SyntaxTreeBuilder tree) {
    this.tree = tree;
  }

  @Override
  public ExprElement visitParenExpr(IdlParser.ParenExprContext context) {
    return visit(context.expr());
  }

  @Override
  public ExprElement visitUnaryExpr(IdlParser.UnaryExprContext context) {
    return new ExprElement.Unary(tree.location(context), context.op.getText(), visit(context.expr()));
  }

  @Override
  public ExprElement visitBinaryExpr(IdlParser.BinaryExprContext context) {
    return new ExprElement.Binary(tree.location(context.op), context.op.getText(),
        visit(context.left), visit(context.right));
  }

  @Override
  public ExprElement visitNumberExpr(IdlParser.NumberExprContext context) {
    return new ExprElement.NumberLiteral(tree.location(context), context.getText());
  }

  /** rpcgen's {@code 'a'}: the character's code, as C reads it. */
  @Override
  public ExprElement visitCharExpr(IdlParser.CharExprContext context) {
    return new ExprElement.NumberLiteral(tree.location(context),
        Integer.toString(context.getText().charAt(1)));
  }

  @Override
  public ExprElement visitRefExpr(IdlParser.RefExprContext context) {
    return new ExprElement.Reference(tree.location(context), context.getText());
  }
}
