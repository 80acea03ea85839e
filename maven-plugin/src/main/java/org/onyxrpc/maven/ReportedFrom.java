package org.onyxrpc.maven;

import java.io.File;
import java.nio.file.Path;

/** Where diagnostics name files from: the directory Maven was started in, where the console opens them. */
final class ReportedFrom {
  private ReportedFrom() {}

  /**
   * The build's execution root, or the project's directory when the build has none (an IDE's
   * embedded Maven may leave it unset).
   *
   * @param executionRoot {@code MavenSession.getExecutionRootDirectory()}, possibly {@code null}
   * @param basedir the project's directory
   */
  static Path directory(String executionRoot, File basedir) {
    return executionRoot == null || executionRoot.isBlank() ? basedir.toPath() : Path.of(executionRoot);
  }
}
