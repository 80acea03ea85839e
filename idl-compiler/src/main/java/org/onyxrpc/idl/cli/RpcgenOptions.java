package org.onyxrpc.idl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What to do with rpcgen's options that a build copies onto idlc's command line
 * ({@code rpcgen -N -C -M x.x}): none of them changes what the file means to idlc, so each is
 * named with why it can be left out. {@code -D} and {@code -o} idlc shares; rpcgen's {@code -I}
 * (inetd support) is idlc's include directory, which the README says.
 */
final class RpcgenOptions {
  /** rpcgen's flags that steer only the C it writes (rpcsvc-proto's and illumos' usage). */
  private static final Set<String> C_ONLY = Set.of("a", "b", "k", "C", "L", "T", "M", "A",
      "c", "l", "m", "t", "Sc", "Ss", "Sm", "i", "K", "Y", "s", "n");

  private RpcgenOptions() {}

  /** One line per kind of rpcgen option among {@code unmatched}; none when there is none. */
  static List<String> hints(List<String> unmatched) {
    List<String> newstyle = new ArrayList<>();
    List<String> cOnly = new ArrayList<>();
    for (String argument : unmatched) {
      if (!argument.startsWith("-") || argument.startsWith("--") || argument.length() < 2) {
        continue;
      }
      String flags = argument.substring(1);
      if (C_ONLY.contains(flags)) {
        cOnly.add(argument);
      } else if (flags.chars().allMatch(c -> "abkCLNTM".indexOf(c) >= 0)) {
        // rpcgen's flags may be grouped ('-NC'): N is newstyle, the others are C's.
        (flags.indexOf('N') >= 0 ? newstyle : cOnly).add(argument);
      }
    }
    List<String> hints = new ArrayList<>();
    if (!newstyle.isEmpty()) {
      hints.add(String.join(", ", newstyle) + ": rpcgen's newstyle (several arguments per"
          + " procedure), which idlc always reads: leave it out");
    }
    if (!cOnly.isEmpty()) {
      hints.add(String.join(", ", cOnly) + ": rpcgen's options for the C it writes; idlc writes"
          + " Java the same whatever they are: leave them out");
    }
    return hints;
  }
}
