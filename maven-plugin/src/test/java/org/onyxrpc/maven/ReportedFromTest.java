package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Diagnostics are named from where Maven was started, and from the project when that is unknown. */
class ReportedFromTest {
  @Test
  void theExecutionRootWhenThereIsOne() {
    assertEquals(Path.of("/work/app"), ReportedFrom.directory("/work/app", new File("/work/app/api")));
  }

  @Test
  void theProjectWhenTheBuildHasNoExecutionRoot() {
    // An embedded Maven (an IDE's) may leave it unset: Path.of(null) threw, failing every build there.
    assertEquals(Path.of("/work/app/api"), ReportedFrom.directory(null, new File("/work/app/api")));
  }
}
