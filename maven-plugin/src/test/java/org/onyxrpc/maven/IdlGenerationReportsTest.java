package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * What the generator reports, without a Maven build around it: errors with their location and
 * the run failed, warnings, and the summary lines of what it read, wrote and removed.
 */
class IdlGenerationReportsTest extends GreeterProject {
  @Test
  void errorsAreLoggedWithTheirLocationAndFailTheRun() throws Exception {
    generation.run(new RecordingLog());
    Files.writeString(idl.resolve("common.idl"), COMMON.replace("string text<64>", "Colour text; int x; int x"));

    RecordingLog log = new RecordingLog();
    MojoFailureException failure = assertThrows(MojoFailureException.class, () -> generation.run(log));
    assertEquals(List.of(
        "src/main/idl/common.idl:2:15: error: unknown type 'Colour'\n  in struct Name (src/main/idl/common.idl:2:8)",
        "src/main/idl/common.idl:2:39: error: duplicate field 'x' in struct Name (first at src/main/idl/common.idl:2:32)"),
        log.at("ERROR"));
    assertEquals("Onyx: 2 errors in the .idl files of src/main/idl, first src/main/idl/common.idl:2:15:"
        + " unknown type 'Colour'; nothing was generated", failure.getMessage());
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/Name.java")), "a failed run keeps the last outputs");

    // Fixing the mistake regenerates (the index still describes the last good run).
    Files.writeString(idl.resolve("common.idl"), COMMON);
    assertTrue(generation.run(new RecordingLog()).upToDate());
  }

  @Test
  void aMissingIncludeFileNamesThePluginsIncludeDirectoriesNotIdlcsOption() throws Exception {
    Files.writeString(idl.resolve("notes.idl"), "package com.example.notes;\n#include <notes.x>\n");

    RecordingLog log = new RecordingLog();
    MojoFailureException failure = assertThrows(MojoFailureException.class, () -> generation.run(log));
    String error = log.at("ERROR").get(0);
    assertTrue(error.startsWith("src/main/idl/notes.idl:2:2: error: cannot find include file 'notes.x' (searched: "),
        error);
    assertTrue(error.endsWith("; add its directory to the plugin's <includeDirectories>)"), error);
    assertFalse(error.contains("-I"), error);
    assertFalse(failure.getMessage().contains("-I"), failure.getMessage());
  }

  /**
   * An import from a directory the pom does not name: the #include error said where to add it,
   * the import error only what was searched, so a new user without <includeDirectories> had no
   * lead to the parameter.
   */
  @Test
  void aMissingImportNamesThePluginsIncludeDirectories() throws Exception {
    Files.writeString(idl.resolve("price.idl"), "package com.example.greet;\nimport \"money.idl\";\n");

    RecordingLog log = new RecordingLog();
    assertThrows(MojoFailureException.class, () -> generation.run(log));
    assertEquals(List.of("src/main/idl/price.idl:2:8: error: cannot find import 'money.idl' (searched: src/main/idl;"
        + " add its directory to the plugin's <includeDirectories>)"), log.at("ERROR"));
  }

  @Test
  void inAModuleErrorsNameTheirFileFromWhereMavenWasStarted() throws Exception {
    // Run from the parent, "src/main/idl/common.idl:2:15" named no file there; javac's are absolute.
    Path module = project.resolve("api");
    Path moduleIdl = Files.createDirectories(module.resolve("src/main/idl"));
    Files.writeString(moduleIdl.resolve("common.idl"), COMMON.replace("string text<64>", "Colour text"));
    IdlGeneration inModule = new IdlGeneration(module, List.of(Path.of("src/main/idl")), List.of(),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0",
        Map.of(), List.of(), List.of(), project);

    RecordingLog log = new RecordingLog();
    MojoFailureException failure = assertThrows(MojoFailureException.class, () -> inModule.run(log));
    assertEquals(List.of("api/src/main/idl/common.idl:2:15: error: unknown type 'Colour'\n"
        + "  in struct Name (api/src/main/idl/common.idl:2:8)"), log.at("ERROR"));
    assertEquals("Onyx: 1 error in the .idl files of src/main/idl, first api/src/main/idl/common.idl:2:15:"
        + " unknown type 'Colour'; nothing was generated", failure.getMessage());
  }

  @Test
  void warningsAreLoggedAsWarnings() throws Exception {
    Files.writeString(idl.resolve("greeter.idl"), GREETER.replace("@program(0x20000201)", "@cached @program(0x20000201)"));
    RecordingLog log = new RecordingLog();
    assertEquals(1, generation.run(log).warnings());
    assertEquals(List.of("src/main/idl/greeter.idl:3:1: warning: unknown annotation '@cached' is kept but has no effect here"),
        log.at("WARNING"));
  }

  @Test
  void anIdlWithoutAPackageIsWarnedOfForItsJavaCannotBeImported() throws Exception {
    // Generated into the default package, which the project's own packages cannot import
    // (JLS 7.5): the build went on silently and javac then failed in the user's code.
    Files.writeString(idl.resolve("calc.idl"), "service Calc { version 1 { int twice(int n) = 1; } } = 0x20000301;\n");
    RecordingLog log = new RecordingLog();
    assertEquals(1, generation.run(log).warnings());
    assertEquals(List.of("src/main/idl/calc.idl:1:1: warning: no package declaration: its Java goes to the default"
        + " package, which classes in a named package cannot import; begin the file with a package, such as"
        + " 'package com.example.calc;'"), log.at("WARNING"));
    assertTrue(Files.isRegularFile(out.resolve("CalcV1.java")), "generated all the same");
  }

  /**
   * A mistyped include directory was silent, as idlc's -I was before it warned: an import from it
   * then failed with no word why, or the file compiled. Said on every run, the up-to-date ones too.
   */
  @Test
  void warnsOfAnIncludeDirectoryThatIsNotOne() throws Exception {
    Files.writeString(project.resolve("file.txt"), "");
    IdlGeneration mistyped = new IdlGeneration(project, Path.of("src/main/idl"),
        List.of(Path.of("nosuch"), Path.of("file.txt")), Path.of("target/generated-sources/onyx"),
        Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    for (int run = 1; run <= 2; run++) {
      RecordingLog log = new RecordingLog();
      assertEquals(run == 2, mistyped.run(log).upToDate());
      assertEquals(List.of("Onyx: <includeDirectory> nosuch: no such directory",
          "Onyx: <includeDirectory> file.txt: not a directory"), log.at("WARNING"), "run " + run);
    }
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/GreeterV1.java")));
  }

  @Test
  void anOutputDirectoryThatCannotBeMadeIsNamedWithTheReason() throws Exception {
    // Before: "cannot generate Java from src/main/idl: /…/com/example/greet", NIO's exception's
    // path alone, as for a target/ the build's user may not write (FileFailuresTest).
    Files.createDirectories(out.resolve("com/example"));
    Files.writeString(out.resolve("com/example/greet"), "a file where the package's directory goes");
    MojoExecutionException failure = assertThrows(MojoExecutionException.class,
        () -> generation.run(new RecordingLog()));
    assertEquals("Onyx: cannot generate Java from src/main/idl: target/generated-sources/onyx/com/example/greet:"
        + " it exists and is not a directory", failure.getMessage());
  }

  @Test
  void aMissingSourceDirectoryIsSaidToBeMissingOnEveryRun() throws Exception {
    // .idl files put in src/main/idls: the second build said "0 .idl files in src/main/idl
    // unchanged since the last build", and javac then reported the stubs as missing.
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    Files.delete(idl);
    for (int run = 1; run <= 2; run++) {
      RecordingLog log = new RecordingLog();
      generation.run(log);
      assertEquals(List.of("No .idl, .x or .rpcl files in src/main/idl (no such directory): nothing to generate"),
          log.at("INFO"), "run " + run);
    }
  }

  /** The run after the last .idl file went removes what the runs before wrote, and says how many, once. */
  @Test
  void theRunAfterTheLastIdlFileWentSaysHowManyStaleFilesItRemoved() throws Exception {
    int written = generation.run(new RecordingLog()).written();
    assertTrue(written > 1, "written: " + written);
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    RecordingLog first = new RecordingLog();
    assertEquals(written, generation.run(first).deleted());
    assertEquals(List.of("No .idl, .x or .rpcl files in src/main/idl: nothing to generate (" + written
        + " stale Java files removed)"), first.at("INFO"));
    RecordingLog second = new RecordingLog();
    generation.run(second);
    assertEquals(List.of("No .idl, .x or .rpcl files in src/main/idl: nothing to generate"), second.at("INFO"));
  }

  @Test
  void noIdlFilesIsNotAnError() throws Exception {
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    RecordingLog log = new RecordingLog();
    assertEquals(0, generation.run(log).inputs());
    assertEquals(List.of("No .idl, .x or .rpcl files in src/main/idl: nothing to generate"), log.at("INFO"));
  }

  @Test
  void theLogNamesTheKindsOfFilesItRead() throws Exception {
    Files.writeString(idl.resolve("extra.x"), "struct extra { int n; };\n");
    RecordingLog log = new RecordingLog();
    assertEquals(3, generation.run(log).inputs());
    assertTrue(log.at("INFO").get(0).startsWith("Generated 3 Java files from 3 .idl and .x files into "), log.lines.toString());

    Files.writeString(idl.resolve("broken.x"), "struct broken { nope n; };\n");
    MojoFailureException failure = assertThrows(MojoFailureException.class, () -> generation.run(new RecordingLog()));
    assertTrue(failure.getMessage().startsWith("Onyx: 1 error in the .idl and .x files of src/main/idl, first "),
        failure.getMessage());
  }
}
