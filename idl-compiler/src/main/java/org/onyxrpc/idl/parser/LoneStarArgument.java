package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * A procedure's only argument written {@code T *} in a {@code .x} file ({@code int F(s *)}):
 * rpcgen's C codes it as {@code T} ({@code xdr_s} on the caller's pointer; the {@code *} only says
 * C passes it by reference), so it is {@code T} on the wire here too, and a warning says so. Among
 * several arguments ({@code rpcgen -N}) rpcgen codes {@code T *} as optional data
 * ({@code xdr_pointer}), as Onyx does everywhere else; in a {@code .idl} file it is optional
 * data too.
 */
final class LoneStarArgument {
  private LoneStarArgument() {}

  /** The only argument's optional type, if {@code procedure} has one written in a .x file. */
  static IdlParser.OptionalRefContext of(IdlParser.ProcedureContext procedure, LineMap map) {
    IdlParser.ParameterListContext list = procedure.parameterList();
    if (list == null || list.parameter().size() != 1
        || !(list.parameter(0).typeRef() instanceof IdlParser.OptionalRefContext optional)) {
      return null;
    }
    Token start = optional.getStart();
    return map.locate(start.getLine(), start.getCharPositionInLine() + 1).file().endsWith(".x")
        ? optional : null;
  }

  static void warn(ParseTree tree, LineMap map, Diagnostics diagnostics) {
    if (tree instanceof IdlParser.ProcedureContext procedure) {
      IdlParser.OptionalRefContext optional = of(procedure, map);
      if (optional != null) {
        Token start = optional.getStart();
        Location at = map.locate(start.getLine(), start.getCharPositionInLine() + 1);
        String type = start.getInputStream().getText(Interval.of(start.getStartIndex(),
            optional.typeSpecifier().getStop().getStopIndex()));
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
