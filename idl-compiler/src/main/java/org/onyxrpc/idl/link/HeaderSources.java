package org.onyxrpc.idl.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.preprocess.IncludePaths;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * The {@code .x} file a {@code %#include} line's header was made from: rpcgen writes {@code
 * X.h} from {@code X.x} (or {@code X.rpcl}, liblxi's {@code vxi11core.rpcl}: rpcgen cuts a name at
 * its last dot, whatever the ending), so a file whose C includes {@code "nfs3_prot.h"} (SFS, libvirt's
 * {@code qemu_protocol.x}, CDE's {@code agent.x}) uses the names of {@code nfs3_prot.x}, where
 * that file is to be had. It is looked up as cpp looks up the header ({@code "…"} beside the
 * including file, then in the include directories; {@code <…>} in the include directories), and
 * last by the header's own name beside the including file, where projects keep their {@code .x}
 * files while their builds put the headers elsewhere ({@code <rpcsvc/nis.h>},
 * {@code "xdr/Stellar-types.h"}).
 */
final class HeaderSources {
  private HeaderSources() {}

  /**
   * The {@code .x} file of {@code header} as a {@code %#include} line writes it ({@code
   * "nfs3_prot.h"}, {@code <rpcsvc/nis.h>}), included from {@code includer}; null when there is
   * none, or it is the includer itself (a file whose C includes its own header).
   */
  static Path find(String header, Path includer, List<Path> includeDirs) {
    boolean quoted = header.startsWith("\"") && header.endsWith("\"");
    boolean angled = header.startsWith("<") && header.endsWith(">");
    if (!(quoted || angled) || header.length() < 5 || !header.endsWith(".h" + header.charAt(header.length() - 1))) {
      return null;
    }
    String base = header.substring(1, header.length() - 3);
    List<Path> dirs = new ArrayList<>();
    Path beside = includer.toAbsolutePath().normalize().getParent();
    if (quoted && beside != null) {
      dirs.add(beside);
    }
    includeDirs.forEach(dir -> dirs.add(dir.toAbsolutePath().normalize()));
    List<Path> candidates = new ArrayList<>();
    // In each place, X.x before X.rpcl: the places keep cpp's order.
    for (Path dir : dirs) {
      SourceFiles.RPCGEN_ENDINGS.forEach(ending -> candidates.add(IncludePaths.candidate(dir, base + ending)));
    }
    if (beside != null) {
      String own = base.substring(base.lastIndexOf('/') + 1);
      SourceFiles.RPCGEN_ENDINGS.forEach(ending -> candidates.add(IncludePaths.candidate(beside, own + ending)));
    }
    Path self = includer.toAbsolutePath().normalize();
    for (Path candidate : candidates) {
      if (candidate != null && Files.isRegularFile(candidate)) {
        return candidate.equals(self) ? null : candidate;
      }
    }
    return null;
  }
}
