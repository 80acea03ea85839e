package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * A procedure's only argument written {@code T *} in a {@code .x} file ({@code int F(s *)}, and
 * so with a name, {@code F(s *a)} or rpcgen's {@code F(s a *)}): rpcgen's C codes it as {@code T}
 * ({@code xdr_s} on the caller's pointer; the {@code *} only says C passes it by reference), so
 * it is {@code T} on the wire here too, and a warning says so. Among several arguments
 * ({@code rpcgen -N}) rpcgen codes {@code T *} as optional data ({@code xdr_pointer}), as Onyx
 * does everywhere else; in a {@code .idl} file it is optional data too.
 */
final class LoneStarArgument {
  private LoneStarArgument() {}

  /**
   * The type under the {@code *} of the only argument, if {@code procedure} has one written
   * {@code T *} in a file of rpcgen's language ({@link SourceFiles#isRpcgen}).
   */
  static IdlParser.TypeSpecifierContext of(IdlParser.ProcedureContext procedure, LineMap map) {
    IdlParser.ParameterListContext list = procedure.parameterList();
    if (list == null || list.parameter().size() != 1) {
      return null;
    }
    IdlParser.TypeSpecifierContext type = starred(list.parameter(0));
    if (type == null) {
      return null;
    }
    Token start = type.getStart();
    return SourceFiles.isRpcgen(map.locate(start.getLine(), start.getCharPositionInLine() + 1).file())
        ? type : null;
  }

  /** The type under a parameter's {@code *}: {@code T *}, {@code T *a} or {@code T a *}. */
  private static IdlParser.TypeSpecifierContext starred(IdlParser.ParameterContext parameter) {
    if (parameter.typeRef() instanceof IdlParser.OptionalRefContext optional) {
      return optional.typeSpecifier();
    }
    if (parameter.declaration() instanceof IdlParser.OptionalDeclContext optional) {
      return optional.typeSpecifier();
    }
    return parameter.argName != null ? parameter.typeSpecifier() : null;
  }

  static void warn(ParseTree tree, LineMap map, Diagnostics diagnostics) {
    if (tree instanceof IdlParser.ProcedureContext procedure) {
      IdlParser.TypeSpecifierContext lone = of(procedure, map);
      if (lone != null) {
        Token start = lone.getStart();
        Location at = map.locate(start.getLine(), start.getCharPositionInLine() + 1);
        String type = start.getInputStream().getText(Interval.of(start.getStartIndex(),
            lone.getStop().getStopIndex()));
        diagnostics.warning(at, "'" + type + " *', the only argument of '"
            + procedure.name.getText() + "', is coded as '" + type + "', as rpcgen's C codes it"
            + " (its '*' is C's pointer), not as optional data: write '" + type + "', or declare"
            + " an optional type ('typedef " + type + " *maybe;') for an argument that may be"
            + " absent");
      }
      return;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      warn(tree.getChild(i), map, diagnostics);
    }
  }
}
