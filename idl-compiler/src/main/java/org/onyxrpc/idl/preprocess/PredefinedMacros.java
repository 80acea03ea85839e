package org.onyxrpc.idl.preprocess;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The macros defined before a file is read, as rpcgen's cpp has them: cpp's and rpcgen's
 * symbols, then {@code -D}, less {@code -U}.
 */
final class PredefinedMacros {
  private PredefinedMacros() {}

  /**
   * A name of {@code defines} may have parameters, {@code F(x, y)}, for a function-like macro, as
   * cpp's {@code -D 'F(x, y)=x * y'}; it replaces one of the same name, and {@code -U F} takes
   * either kind away. A {@code -U} of a name never defined does nothing, as in cpp.
   */
  static Map<String, String> of(Map<String, String> defines, Collection<String> undefines) {
    Map<String, String> macros = new LinkedHashMap<>();
    Preprocessor.CPP_SYMBOLS.forEach(symbol -> macros.put(symbol, "1"));
    // gnu17's, the default of gcc 8 to 14 (rpcgen's cpp on today's Linux): one value, as the
    // Java is the same on every machine.
    macros.put("__STDC_VERSION__", "201710L");
    Preprocessor.RPCGEN_SYMBOLS.forEach(symbol -> macros.put(symbol, "1"));
    defines.forEach((name, value) -> {
      macros.keySet().removeIf(defined -> name(defined).equals(name(name)));
      macros.put(name, value);
    });
    undefines.forEach(name -> macros.keySet().removeIf(defined -> name(defined).equals(name)));
    return macros;
  }

  /** The name of a predefined macro: {@code F} of {@code F(x)}. */
  private static String name(String predefined) {
    int open = predefined.indexOf('(');
    return open < 0 ? predefined : predefined.substring(0, open).strip();
  }
}
