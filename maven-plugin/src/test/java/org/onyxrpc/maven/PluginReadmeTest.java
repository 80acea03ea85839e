package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What this module's README tells a user to put in a pom, against what the goals do. */
class PluginReadmeTest {
  private static final Path README = Path.of("README.md");

  /**
   * check-compat's baselineArtifact against an api jar that generate built: its .idl files are in
   * the jar already (attachIdl), and were found there (a newcomer's api jar, checked by hand
   * against the installed notes-api-1.0.jar). Before, the row said only to put them in with a
   * {@code <resources>} block, which is not needed then and drops {@code src/main/resources}.
   */
  @Test
  void theBaselineArtifactRowSaysAGeneratedJarHoldsTheIdlAlready() throws IOException {
    String row = Files.readString(README).lines()
        .filter(l -> l.startsWith("| `baselineArtifact`")).findFirst().orElseThrow();
    assertTrue(row.contains("A jar built with `generate` holds them already (`attachIdl`"), row);
    assertTrue(row.contains("which replaces the default `src/main/resources`"), row);
  }
}
