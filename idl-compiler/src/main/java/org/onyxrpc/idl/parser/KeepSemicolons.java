package org.onyxrpc.idl.parser;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;

/**
 * ANTLR's recovery, except that it never drops a {@code ;} as extraneous. Dropped, the {@code ;}
 * that ends a broken definition ({@code const C = ;}) would join the next definition to it, read
 * as its missing part when that starts with a name ({@code service}, {@code exception} and the
 * like are names too): an error reported on a line that has none, and the next definition's own
 * mistakes missed. Kept, the parser resynchronises at that {@code ;} and reads on from there.
 */
final class KeepSemicolons extends DefaultErrorStrategy {
  @Override
  protected Token singleTokenDeletion(Parser recognizer) {
    return ";".equals(recognizer.getCurrentToken().getText()) ? null : super.singleTokenDeletion(recognizer);
  }
}
