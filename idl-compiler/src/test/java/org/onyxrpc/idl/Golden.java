package org.onyxrpc.idl;

import java.nio.file.Path;

/** Where golden files live and whether to rewrite them ({@code -Dgolden.update=true}). */
final class Golden {
  private Golden() {}

  static boolean update() {
    return Boolean.parseBoolean(System.getProperty("golden.update", "false"));
  }

  /** The source tree's test resources, so that updates land in the repository. */
  static Path resources() {
    return Path.of(System.getProperty("golden.dir", "src/test/resources/golden")).getParent();
  }
}
