package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sourceDirectory} the pom names that does not exist is a warning; before, it was only
 * the INFO line "No .idl, .x or .rpcl files in src/main/idls (no such directory)", which javac's errors
 * about the classes never generated pushed out of sight. The default one missing is no mistake.
 */
class SourceDirectoryWarningTest {
  @TempDir Path project;

  @Test
  void aNamedSourceDirectoryThatIsMissingIsAWarning() {
    RecordingLog log = new RecordingLog();
    AbstractIdlMojo.warnOfMissingSourceDirectory(project, project.resolve("src/main/idls"), "src/main/idl", log);
    assertEquals(List.of("[WARNING] Onyx: <sourceDirectory> src/main/idls: no such directory"), log.lines);
  }

  @Test
  void aRelativeNamedSourceDirectoryIsShownAsNamed() {
    RecordingLog log = new RecordingLog();
    AbstractIdlMojo.warnOfMissingSourceDirectory(project, Path.of("idl"), "src/main/idl", log);
    assertEquals(List.of("[WARNING] Onyx: <sourceDirectory> idl: no such directory"), log.lines);
  }

  @Test
  void theDefaultSourceDirectoryMissingIsNoWarning() {
    RecordingLog log = new RecordingLog();
    AbstractIdlMojo.warnOfMissingSourceDirectory(project, project.resolve("src/main/idl"), "src/main/idl", log);
    assertEquals(List.of(), log.lines);
  }

  @Test
  void aNamedSourceDirectoryThatExistsIsNoWarning() throws IOException {
    Files.createDirectories(project.resolve("api/idl"));
    RecordingLog log = new RecordingLog();
    AbstractIdlMojo.warnOfMissingSourceDirectory(project, project.resolve("api/idl"), "src/main/idl", log);
    assertEquals(List.of(), log.lines);
  }
}
