package org.onyxrpc.maven;

import java.nio.file.Path;

/** How the plugin's log words paths and counts. */
final class Shown {
  private Shown() {}

  /** {@code path} relative to {@code base} when under it, else absolute, with forward slashes. */
  static String path(Path base, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
  }

  /** {@code n} and the noun, plural unless {@code n} is 1: "1 error", "3 errors". */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
