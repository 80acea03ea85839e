package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Warns of an argument named on both sides of its {@code *} ({@code void F(s a * b)}): rpcgen
 * reads it (get_prog_declaration takes a name, the {@code *}, then a name that replaces the
 * first) and names the argument {@code b}; so does idlc, but a first name that is silently
 * dropped is more likely a slip than a choice. In a {@code .idl} file, also of rpcgen's order
 * {@code T a *}: there the argument is optional data, which that order hides.
 */
final class TwoNamedArgument {
  private TwoNamedArgument() {}

  static void warn(ParseTree tree, LineMap map, Diagnostics diagnostics) {
    if (tree instanceof IdlParser.ParameterContext parameter) {
      if (parameter.rename != null) {
        Token first = parameter.argName.getStart();
        Location at = map.locate(first.getLine(), first.getCharPositionInLine() + 1);
        String type = typeText(parameter);
        String name = parameter.rename.getText();
        diagnostics.warning(at, "an argument has one name: '" + parameter.argName.getText()
            + "' is dropped for '" + name + "', as rpcgen drops it; write '" + type + " *" + name
            + "'");
      } else if (parameter.argName != null && !inRpcgenFile(parameter, map)) {
        // rpcgen's order, in Onyx's own language: said, as the type is optional data here.
        Token name = parameter.argName.getStart();
        String type = typeText(parameter);
        diagnostics.warning(map.locate(name.getLine(), name.getCharPositionInLine() + 1),
            "'" + type + " " + name.getText() + " *' is rpcgen's order for '" + type + " *"
            + name.getText() + "': in a .idl file the argument is optional data (it may be null);"
            + " write '" + type + " *" + name.getText() + "'");
      }
      return;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      warn(tree.getChild(i), map, diagnostics);
    }
  }

  private static String typeText(IdlParser.ParameterContext parameter) {
    Token start = parameter.getStart();
    return start.getInputStream().getText(Interval.of(start.getStartIndex(),
        parameter.typeSpecifier().getStop().getStopIndex()));
  }

  private static boolean inRpcgenFile(IdlParser.ParameterContext parameter, LineMap map) {
    Token start = parameter.getStart();
    return SourceFiles.isRpcgen(map.locate(start.getLine(), start.getCharPositionInLine() + 1).file());
  }
}
