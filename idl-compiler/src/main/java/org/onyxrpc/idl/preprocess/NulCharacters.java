package org.onyxrpc.idl.preprocess;

import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * NUL characters are blanks to gcc's cpp, each line of them with its warning, as rpcgen's cpp
 * reads them ('const B\0= 2;' is 'const B = 2;').
 */
final class NulCharacters {
  private NulCharacters() {}

  /** Blanks the NULs of {@code physical}'s lines in place, warning once a line, at its first. */
  static void blank(String[] physical, String file, Diagnostics diagnostics) {
    for (int i = 0; i < physical.length; i++) {
      int nul = physical[i].indexOf('\0');
      if (nul >= 0) {
        diagnostics.warning(new Location(file, i + 1, nul + 1), "null character(s) ignored");
        physical[i] = physical[i].replace('\0', ' ');
      }
    }
  }
}
