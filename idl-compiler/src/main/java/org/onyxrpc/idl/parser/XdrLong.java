package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Warns of {@code long} written in a {@code .idl} file: XDR's {@code long} is rpcgen's, 32 bits (a
 * Java {@code int}), which a Java reader of the file takes for 64. In a {@code .x} file, and in
 * what a {@code .idl} file {@code #include}s from one, it means what rpcgen's users expect, and
 * nothing is said.
 */
final class XdrLong {
  private XdrLong() {}

  static void warn(ParseTree tree, LineMap map, Diagnostics diagnostics) {
    if (tree instanceof IdlParser.LongTypeContext type) {
      Token start = type.getStart();
      // Where it was written: an included .x file's line keeps its own file's name.
      Location at = map.locate(start.getLine(), start.getCharPositionInLine() + 1);
      if (!SourceFiles.isRpcgen(at.file())) {
        String unsigned = type.UNSIGNED() != null ? "unsigned " : "";
        String written = unsigned + "long" + (type.INT() != null ? " int" : "");
        diagnostics.warning(at, "'" + written + "' is 32 bits in XDR, as rpcgen's C long (a Java"
            + " int, not a Java long): write '" + unsigned + "hyper' for 64 bits, or '" + unsigned
            + "int' for 32");
      }
      return;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      warn(tree.getChild(i), map, diagnostics);
    }
  }
}
