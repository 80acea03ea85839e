package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * Warns of an argument named on both sides of its {@code *} ({@code void F(s a * b)}): rpcgen
 * reads it (get_prog_declaration takes a name, the {@code *}, then a name that replaces the
 * first) and names the argument {@code b}; so does idlc, but a first name that is silently
 * dropped is more likely a slip than a choice.
 */
final class TwoNamedArgument {
  private TwoNamedArgument() {}

  static void warn(ParseTree tree, LineMap map, Diagnostics diagnostics) {
    if (tree instanceof IdlParser.ParameterContext parameter) {
      if (parameter.rename != null) {
        Token first = parameter.argName.getStart();
        Location at = map.locate(first.getLine(), first.getCharPositionInLine() + 1);
        Token start = parameter.getStart();
        String type = start.getInputStream().getText(Interval.of(start.getStartIndex(),
            parameter.typeSpecifier().getStop().getStopIndex()));
        String name = parameter.rename.getText();
        diagnostics.warning(at, "an argument has one name: '" + parameter.argName.getText()
            + "' is dropped for '" + name + "', as rpcgen drops it; write '" + type + " *" + name
            + "'");
      }
      return;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      warn(tree.getChild(i), map, diagnostics);
    }
  }
}
