package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * The generator's incremental behaviour and the files it finds (includes, imports, linked
 * directories, dependencies), without a Maven build around it; what it reports is {@link
 * IdlGenerationReportsTest}'s.
 */
class IdlGenerationTest extends GreeterProject {
  @Test
  void generatesOnceThenSkipsWhileNothingChanges() throws Exception {
    RecordingLog first = new RecordingLog();
    IdlGeneration.Outcome outcome = generation.run(first);
    assertEquals(new IdlGeneration.Outcome(false, 2, 2, 0, 0, 0), outcome);
    assertEquals(List.of("Generated 2 Java files from 2 .idl files into target/generated-sources/onyx"
        + " (2 written, 0 unchanged, 0 removed)"), first.at("INFO"));
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/GreeterV1.java")));
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/Name.java")));

    RecordingLog second = new RecordingLog();
    assertTrue(generation.run(second).upToDate());
    assertEquals(List.of("Nothing to generate: 2 .idl files in src/main/idl unchanged since the last build"),
        second.lines.stream().map(l -> l.substring("[INFO] ".length())).toList());
  }

  @Test
  void aChangedFileRegeneratesAndKeepsUntouchedOutputsAsTheyWere() throws Exception {
    generation.run(new RecordingLog());
    Path name = out.resolve("com/example/greet/Name.java");
    Files.setLastModifiedTime(name, FileTime.fromMillis(0));
    Files.writeString(idl.resolve("greeter.idl"), GREETER.replace("string greet", "/** Says hello. */ string greet"));

    IdlGeneration.Outcome outcome = generation.run(new RecordingLog());
    assertEquals(new IdlGeneration.Outcome(false, 2, 1, 1, 0, 0), outcome);
    assertTrue(Files.readString(out.resolve("com/example/greet/GreeterV1.java")).contains("Says hello."));
    assertEquals(0, Files.getLastModifiedTime(name).toMillis(), "unchanged output was rewritten");
  }

  @Test
  void aDeletedFileTakesItsOutputsAlong() throws Exception {
    Files.writeString(idl.resolve("extra.idl"), "package com.example.extra;\nenum Color { RED = 1 };\n");
    generation.run(new RecordingLog());
    assertTrue(Files.isRegularFile(out.resolve("com/example/extra/Color.java")));

    Files.delete(idl.resolve("extra.idl"));
    IdlGeneration.Outcome outcome = generation.run(new RecordingLog());
    assertEquals(1, outcome.deleted());
    assertFalse(Files.exists(out.resolve("com/example/extra")), "empty package directory left behind");
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/GreeterV1.java")));
  }

  @Test
  void twoSourceDirectoriesAreCompiledTogether() throws Exception {
    Path extra = Files.createDirectories(project.resolve("src/extra/idl/com/example/more"));
    // A file of the second root imports one of the first by its path under that root.
    Files.writeString(extra.resolve("more.idl"), "package com.example.more;\nimport \"common.idl\";\n"
        + "struct Tagged { Name name; int tag; };\n");
    IdlGeneration both = new IdlGeneration(project, List.of(Path.of("src/main/idl"), Path.of("src/extra/idl")),
        List.of(), Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"),
        "1.0", Map.of(), List.of(), List.of());
    RecordingLog first = new RecordingLog();
    assertEquals(new IdlGeneration.Outcome(false, 3, 3, 0, 0, 0), both.run(first));
    assertTrue(Files.isRegularFile(out.resolve("com/example/more/Tagged.java")));
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/GreeterV1.java")));

    RecordingLog second = new RecordingLog();
    assertTrue(both.run(second).upToDate());
    assertEquals(List.of("Nothing to generate: 3 .idl files in src/main/idl, src/extra/idl unchanged since the last build"),
        second.at("INFO"));

    Files.delete(extra.resolve("more.idl"));
    assertEquals(1, both.run(new RecordingLog()).deleted());
    assertFalse(Files.exists(out.resolve("com/example/more")));
  }

  @Test
  void afterTheOutputDirectoryMovesTheOldOnesFilesGoAndTheNewOnesStay() throws Exception {
    Files.writeString(idl.resolve("extra.idl"), "package com.example.extra;\nenum Color { RED = 1 };\n");
    generation.run(new RecordingLog());
    // The user points the output elsewhere, where a file of theirs has the path of an old output,
    // and removes extra.idl in the same build.
    Path moved = project.resolve("src/main/generated");
    Path theirs = Files.createDirectories(moved.resolve("com/example/extra")).resolve("Color.java");
    Files.writeString(theirs, "// not generated\n");
    Files.delete(idl.resolve("extra.idl"));
    IdlGeneration elsewhere = new IdlGeneration(project, Path.of("src/main/idl"), List.of(),
        Path.of("src/main/generated"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");

    IdlGeneration.Outcome outcome = elsewhere.run(new RecordingLog());
    assertEquals(3, outcome.deleted());
    assertTrue(Files.isRegularFile(theirs), "a file the plugin did not write was deleted");
    assertFalse(Files.exists(out.resolve("com")), "the old output directory kept stale files");
    assertTrue(Files.isRegularFile(moved.resolve("com/example/greet/GreeterV1.java")));
  }

  @Test
  void deletedOutputsAreWrittenAgain() throws Exception {
    generation.run(new RecordingLog());
    Files.delete(out.resolve("com/example/greet/Name.java"));
    assertFalse(generation.run(new RecordingLog()).upToDate());
    assertTrue(Files.isRegularFile(out.resolve("com/example/greet/Name.java")));
  }

  @Test
  void includedFilesAreFoundAndWatched() throws Exception {
    Path shared = Files.createDirectories(project.resolve("shared"));
    Files.move(idl.resolve("common.idl"), shared.resolve("common.idl"));
    IdlGeneration withIncludes = new IdlGeneration(project, Path.of("src/main/idl"), List.of(Path.of("shared")),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    assertEquals(new IdlGeneration.Outcome(false, 1, 2, 0, 0, 0), withIncludes.run(new RecordingLog()));
    assertTrue(withIncludes.run(new RecordingLog()).upToDate());

    Files.writeString(shared.resolve("common.idl"), COMMON.replace("<64>", "<128>"));
    IdlGeneration.Outcome outcome = withIncludes.run(new RecordingLog());
    assertEquals(new IdlGeneration.Outcome(false, 1, 1, 1, 0, 0), outcome);
    assertTrue(Files.readString(out.resolve("com/example/greet/Name.java")).contains("128"));
  }

  /**
   * rpcgen's layout: protocols in their own .x files that #include a shared one from another
   * directory (rpcgen's -I, the plugin's include directory). The shared file's types are
   * generated once, without a warning that they were declared again; editing it regenerates;
   * deleting one protocol takes its classes and leaves the shared ones.
   */
  @Test
  void xFilesSharingAnIncludedFileFromAnotherDirectory() throws Exception {
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    Path shared = Files.createDirectories(project.resolve("src/main/rpcl"));
    Files.writeString(shared.resolve("common.x"), "struct stamp { hyper secs; };\nconst MAXNAME = 16;\n");
    Files.writeString(idl.resolve("a.x"), "#include \"common.x\"\nstruct a_rec { stamp when; string who<MAXNAME>; };\n"
        + "program A { version A1 { a_rec GET_A(int) = 1; } = 1; } = 0x20000a11;\n");
    Files.writeString(idl.resolve("b.x"), "#include <common.x>\nstruct b_rec { stamp when; };\n"
        + "program B { version B1 { b_rec GET_B(stamp) = 1; } = 1; } = 0x20000a12;\n");
    IdlGeneration withShared = new IdlGeneration(project, Path.of("src/main/idl"), List.of(Path.of("src/main/rpcl")),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    RecordingLog first = new RecordingLog();
    IdlGeneration.Outcome outcome = withShared.run(first);
    assertEquals(List.of(), first.at("WARNING"), "the shared file's definitions are not declared again");
    assertEquals(0, outcome.warnings());
    assertTrue(Files.readString(out.resolve("Stamp.java")).contains("long secs"));
    assertTrue(Files.isRegularFile(out.resolve("BV1.java")));
    assertTrue(withShared.run(new RecordingLog()).upToDate());

    Files.writeString(shared.resolve("common.x"), "struct stamp { hyper secs; int nanos; };\nconst MAXNAME = 16;\n");
    assertFalse(withShared.run(new RecordingLog()).upToDate(), "an edited shared .x was not noticed");
    assertTrue(Files.readString(out.resolve("Stamp.java")).contains("int nanos"));

    Files.delete(idl.resolve("b.x"));
    outcome = withShared.run(new RecordingLog());
    assertEquals(2, outcome.deleted(), "BRec and BV1");
    assertFalse(Files.exists(out.resolve("BV1.java")));
    assertTrue(Files.isRegularFile(out.resolve("Stamp.java")), "a's include still declares it");
    assertTrue(withShared.run(new RecordingLog()).upToDate());
  }

  @Test
  void anIncludedHeaderThatChangedRegenerates() throws Exception {
    // limits.h is neither .idl nor .x: editing it said "Nothing to generate" and kept LIMIT = 5.
    Path headers = Files.createDirectories(project.resolve("src/main/x"));
    Files.writeString(headers.resolve("limits.h"), "const LIMIT = 5;\n");
    Files.writeString(idl.resolve("beside.h"), "const NEAR = 1;\n");
    Files.writeString(idl.resolve("limits.idl"), "package com.example.limits;\n#include <limits.h>\n#include \"beside.h\"\n");
    IdlGeneration withHeaders = new IdlGeneration(project, Path.of("src/main/idl"), List.of(Path.of("src/main/x")),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    Path constants = out.resolve("com/example/limits/LimitsConstants.java");
    withHeaders.run(new RecordingLog());
    assertTrue(Files.readString(constants).contains("LIMIT = 5;"), Files.readString(constants));
    assertTrue(withHeaders.run(new RecordingLog()).upToDate());

    Files.writeString(headers.resolve("limits.h"), "const LIMIT = 6;\n");
    assertFalse(withHeaders.run(new RecordingLog()).upToDate(), "a changed <include> was not noticed");
    assertTrue(Files.readString(constants).contains("LIMIT = 6;"));
    assertTrue(withHeaders.run(new RecordingLog()).upToDate());

    Files.writeString(idl.resolve("beside.h"), "const NEAR = 2;\n");
    assertFalse(withHeaders.run(new RecordingLog()).upToDate(), "a changed \"include\" beside the file was not noticed");
    assertTrue(Files.readString(constants).contains("NEAR = 2;"));

    Files.delete(headers.resolve("limits.h"));
    assertThrows(MojoFailureException.class, () -> withHeaders.run(new RecordingLog()), "a deleted header was not noticed");
  }

  @Test
  void aLinkedDirectoryUnderTheSourceRootIsCompiled() throws Exception {
    // src/main/idl/shared -> ../../../shared was skipped: its files were silently not compiled.
    Path shared = Files.createDirectories(project.resolve("shared"));
    Files.writeString(shared.resolve("extra.idl"), "package com.example.extra;\nenum Color { RED = 1 };\n");
    Files.createSymbolicLink(idl.resolve("shared"), Path.of("../../../shared"));
    // A link back up to the root is listed once, not followed round.
    Files.createSymbolicLink(shared.resolve("loop"), Path.of("../src/main/idl"));

    assertEquals(3, generation.run(new RecordingLog()).inputs());
    assertTrue(Files.isRegularFile(out.resolve("com/example/extra/Color.java")));
  }

  @Test
  void importedTypesADependencyAlreadyHoldsAreNotGeneratedAgain() throws Exception {
    // A client module importing its api module's types.idl wrote its own com.example.shapes.Point
    // beside the api jar's: two copies of one class, and the module's own (stale) one shadowed it.
    Path api = Files.createDirectories(project.resolve("api/src/main/idl/com/example/shapes"));
    Files.writeString(api.resolve("types.idl"), "package com.example.shapes;\nstruct Point { int x; int y; };\n");
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    Files.writeString(idl.resolve("canvas.idl"), """
        package com.example.draw;
        import "com/example/shapes/types.idl";
        @program(0x20000556)
        service Canvas { version 1 { void plot(Point p) = 1; } }
        """);
    Map<String, String> held = new java.util.HashMap<>(Map.of("com/example/shapes/Point.class", "shapes-api-1.0.jar"));
    IdlGeneration client = new IdlGeneration(project, List.of(Path.of("src/main/idl")), List.of(Path.of("api/src/main/idl")),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0",
        Map.of(), List.of(), List.of(), project, resource -> java.util.Optional.ofNullable(held.get(resource)));

    RecordingLog first = new RecordingLog();
    assertEquals(new IdlGeneration.Outcome(false, 1, 1, 0, 0, 0), client.run(first));
    assertTrue(Files.isRegularFile(out.resolve("com/example/draw/CanvasV1.java")));
    assertFalse(Files.exists(out.resolve("com/example/shapes/Point.java")), "generated again beside the dependency's");
    assertEquals(List.of("Not generating 1 Java file whose class a dependency already holds:"
        + " com.example.shapes.Point (shapes-api-1.0.jar)",
        "Generated 1 Java file from 1 .idl file into target/generated-sources/onyx (1 written, 0 unchanged, 0 removed)"),
        first.at("INFO"));
    assertTrue(client.run(new RecordingLog()).upToDate());

    // The dependency no longer holds it (the type moved out of the api module): generated here again.
    held.clear();
    IdlGeneration.Outcome after = client.run(new RecordingLog());
    assertFalse(after.upToDate(), "a class the dependency no longer holds was left ungenerated");
    assertTrue(Files.isRegularFile(out.resolve("com/example/shapes/Point.java")));
    // And when it holds it again, the copy written here goes.
    held.put("com/example/shapes/Point.class", "shapes-api-1.0.jar");
    assertEquals(1, client.run(new RecordingLog()).deleted());
    assertFalse(Files.exists(out.resolve("com/example/shapes/Point.java")));
  }

  @Test
  void importsResolveFromTheSourceRoot() throws Exception {
    Path nested = Files.createDirectories(idl.resolve("com/example/greet"));
    Files.move(idl.resolve("greeter.idl"), nested.resolve("greeter.idl"));
    assertEquals(2, generation.run(new RecordingLog()).written());
  }

  @Test
  void modulesGenerateInParallel() throws Exception {
    List<Path> modules = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path module = Files.createDirectories(project.resolve("module" + i + "/src/main/idl"));
      Files.writeString(module.resolve("greeter.idl"), GREETER.replace("0x20000201", "0x2000020" + i));
      Files.writeString(module.resolve("common.idl"), COMMON);
      modules.add(module.getParent().getParent().getParent());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<IdlGeneration.Outcome>> runs = new ArrayList<>();
      for (Path module : modules) {
        runs.add(pool.submit(() -> new IdlGeneration(module, Path.of("src/main/idl"), List.of(),
            Path.of("target/out"), Path.of("target/index"), "1.0").run(new RecordingLog())));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertEquals(2, runs.get(i).get().written());
        assertTrue(Files.readString(modules.get(i).resolve("target/out/com/example/greet/GreeterV1.java"))
            .contains("0x2000020" + i));
      }
    } finally {
      pool.shutdown();
    }
  }

  /** An rpcgen file named .rpcl (liblxi's vxi11core.rpcl) under the source root was not compiled: no Java, no word. */
  @Test
  void rpclFilesAreCompiledAsXFilesAre() throws Exception {
    Files.createDirectories(idl.resolve("vxi"));
    Files.writeString(idl.resolve("vxi/core.rpcl"), """
        struct link_parms { long clientId; };
        program DEVICE_CORE { version DEVICE_CORE_VERSION { link_parms create_link(link_parms) = 10; } = 1; } = 0x0607AF;
        """);
    RecordingLog log = new RecordingLog();
    assertEquals(3, generation.run(log).inputs());
    assertEquals(List.of("Generated 4 Java files from 3 .idl and .rpcl files into target/generated-sources/onyx"
        + " (4 written, 0 unchanged, 0 removed)"), log.at("INFO"));
    assertTrue(Files.isRegularFile(out.resolve("LinkParms.java")), () -> List.of(out.toFile().list()).toString());
  }

  @Test
  void xFilesArePreprocessedWithDefinesUndefinesAndPreludes() throws Exception {
    Files.delete(idl.resolve("greeter.idl"));
    Files.delete(idl.resolve("common.idl"));
    Path headers = Files.createDirectories(project.resolve("headers"));
    Files.writeString(headers.resolve("types.x"), "typedef string label_t<LABEL_MAX>;\n");
    Files.writeString(idl.resolve("tags.x"), """
        #if defined(RPC_CLNT) || !defined(WITH_COUNT)
        struct tag { label_t label; };
        #else
        struct tag { label_t label; uint32_t count; };
        #endif
        """);
    IdlGeneration withMacros = new IdlGeneration(project, List.of(Path.of("src/main/idl")), List.of(),
        Path.of("target/generated-sources/onyx"), Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0",
        Map.of("LABEL_MAX", "32", "WITH_COUNT", "1"), List.of("RPC_CLNT"), List.of(Path.of("headers/types.x")));
    RecordingLog first = new RecordingLog();
    assertEquals(new IdlGeneration.Outcome(false, 1, 1, 0, 0, 0), withMacros.run(first));
    assertEquals(List.of("Generated 1 Java file from 1 .x file into target/generated-sources/onyx"
        + " (1 written, 0 unchanged, 0 removed)"), first.at("INFO"));
    String tag = Files.readString(out.resolve("Tag.java"));
    assertTrue(tag.contains("record Tag(String label, int count)") && tag.contains("writeString(value.label(), 32)"), tag);
    RecordingLog second = new RecordingLog();
    assertTrue(withMacros.run(second).upToDate());
    assertEquals(List.of("Nothing to generate: 1 .x file in src/main/idl unchanged since the last build"),
        second.at("INFO"));

    Files.writeString(headers.resolve("types.x"), "typedef string label_t<LABEL_MAX * 2>;\n");
    assertEquals(1, withMacros.run(new RecordingLog()).written(), "a changed prelude regenerates");
    assertTrue(Files.readString(out.resolve("Tag.java")).contains("writeString(value.label(), 64)"));
  }
}
