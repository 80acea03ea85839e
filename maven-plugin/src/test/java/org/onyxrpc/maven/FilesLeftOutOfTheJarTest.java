package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jar carries the source directories' IDL (attachIdl), not the include directories': an
 * {@code .idl} that includes a {@code .x} file of {@code src/main/x} (the recipe the plugin's
 * README gave to put a {@code .x} file in a package) went into the jar without it, and a project
 * importing the {@code .idl} from that jar failed "cannot find include file 'vxi11_rpc.x'", with
 * nothing said when the jar was built. The generation names such files, and {@code generate}
 * warns of them.
 */
class FilesLeftOutOfTheJarTest extends GreeterProject {
  @Test
  void aFileOfTheProjectReadThroughAnIncludeDirectoryIsNamed() throws Exception {
    Path x = Files.createDirectories(project.resolve("src/main/x"));
    Files.writeString(x.resolve("notes.x"), "struct note { string text<>; };\n");
    Files.writeString(idl.resolve("notes.idl"), "package com.example.notes;\n#include <notes.x>\n");
    IdlGeneration withX = new IdlGeneration(project, Path.of("src/main/idl"), List.of(Path.of("src/main/x")),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    IdlGeneration.Outcome outcome = withX.run(new RecordingLog());
    assertEquals(List.of("src/main/x/notes.x"), outcome.outsideTheSources());

    RecordingLog log = new RecordingLog();
    GenerateMojo.warnOfFilesLeftOutOfTheJar(outcome, log);
    assertEquals(List.of("Onyx: src/main/x/notes.x is read through <includeDirectories> and is under no source"
        + " directory, so the jar does not carry it (attachIdl): a project that imports this project's IDL from"
        + " the jar cannot find it. Move it under a source directory (a .x file that an .idl there #includes"
        + " is compiled only through that .idl)"), log.at("WARNING"));
  }

  @Test
  void filesUnderTheSourcesOrOutsideTheProjectAreNotNamed() throws Exception {
    Path system = Files.createTempDirectory("onyx-system-include");
    Files.writeString(system.resolve("types.x"), "typedef int id_t;\n");
    Files.writeString(idl.resolve("beside.x"), "struct beside { int b; };\n");
    Files.writeString(idl.resolve("ids.idl"), "package com.example.ids;\n#include <types.x>\n#include \"beside.x\"\n");
    IdlGeneration withSystem = new IdlGeneration(project, Path.of("src/main/idl"), List.of(system),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    IdlGeneration.Outcome outcome = withSystem.run(new RecordingLog());
    assertTrue(outcome.outsideTheSources().isEmpty(), outcome.toString());
    RecordingLog log = new RecordingLog();
    GenerateMojo.warnOfFilesLeftOutOfTheJar(outcome, log);
    assertEquals(List.of(), log.at("WARNING"));
  }
}
