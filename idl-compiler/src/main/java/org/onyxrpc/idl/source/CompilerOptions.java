package org.onyxrpc.idl.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a compiler run finds and preprocesses its files.
 *
 * @param includeDirs where imports and {@code #include <…>} are looked up (an import and
 *     {@code #include "…"} look beside the including file first)
 * @param defines {@code -D NAME[=VALUE]}: macros defined before each file is read (a bare
 *     {@code -D NAME} defines it as {@code 1})
 * @param undefines {@code -U NAME}: predefined macros to remove, such as {@code RPC_CLNT}
 * @param preludes files read before each input file, whose names every input file sees as if it
 *     imported them: declarations a {@code .x} file takes from C headers
 */
public record CompilerOptions(
    List<Path> includeDirs, Map<String, String> defines, List<String> undefines, List<Path> preludes) {
  /**
   * Copies the lists and the map.
   *
   * @param includeDirs where imports and {@code #include}s are looked up
   * @param defines the {@code -D} macros
   * @param undefines the {@code -U} names
   * @param preludes files read before each input file
   */
  public CompilerOptions {
    includeDirs = List.copyOf(includeDirs);
    defines = Map.copyOf(defines);
    undefines = List.copyOf(undefines);
    preludes = List.copyOf(preludes);
  }

  /**
   * Only include directories; no macros beyond rpcgen's, no prelude.
   *
   * @param includeDirs where imports and {@code #include}s are looked up
   * @return the options
   */
  public static CompilerOptions includes(List<Path> includeDirs) {
    return new CompilerOptions(includeDirs, Map.of(), List.of(), List.of());
  }
}
