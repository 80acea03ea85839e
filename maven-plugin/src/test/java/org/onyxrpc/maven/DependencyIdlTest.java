package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDL files that dependencies carry, copied for imports: classpath order, and nothing outside the copy. */
class DependencyIdlTest {
  private static final String SHAPES = DependencyIdl.PREFIX + "com/example/shapes/shapes.idl";

  @Test
  void copiesTheIdlOfJarsAndClassDirectoriesFirstOneWinning(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("api/target/classes");
    Files.createDirectories(classes.resolve(SHAPES).getParent());
    Files.writeString(classes.resolve(SHAPES), "package com.example.shapes; // from the sibling");
    Path jar = TestJars.jar(dir.resolve("shapes-api-1.0.jar"), Map.of(
        SHAPES, "package com.example.shapes; // from the jar",
        DependencyIdl.PREFIX + "nfs/nfs_prot.x", "const NFS_PORT = 2049;",
        DependencyIdl.PREFIX + "README.txt", "not IDL",
        "com/example/shapes/Point.class", "class"));
    RecordingLog log = new RecordingLog();
    Path into = dir.resolve("target/onyx-maven-plugin/generate-default-imports");
    Files.createDirectories(into.resolve("stale"));
    Files.writeString(into.resolve("stale/gone.idl"), "from a dependency since removed");

    List<Path> found = DependencyIdl.copy(List.of(dir.resolve("missing/target/classes"), classes, jar), into, log);

    assertEquals(List.of(into), found);
    assertEquals(List.of("com/example/shapes/shapes.idl", "nfs/nfs_prot.x"), TestJars.files(into));
    assertEquals("package com.example.shapes; // from the sibling",
        Files.readString(into.resolve("com/example/shapes/shapes.idl")));
    assertEquals(List.of("Onyx: the dependencies api/target/classes and shapes-api-1.0.jar both carry "
        + "com/example/shapes/shapes.idl, with different contents: imports read api/target/classes's"),
        log.at("WARNING"));
  }

  @Test
  void entriesThatWouldLeaveTheCopyAreIgnored(@TempDir Path dir) throws Exception {
    Path jar = TestJars.jar(dir.resolve("hostile-1.0.jar"), Map.of(
        DependencyIdl.PREFIX + "../../escaped.idl", "const X = 1;",
        DependencyIdl.PREFIX + "a/./b.idl", "const Y = 1;",
        DependencyIdl.PREFIX + "fine.idl", "const Z = 1;"));
    RecordingLog log = new RecordingLog();
    Path into = dir.resolve("out/imports");

    DependencyIdl.copy(List.of(jar), into, log);

    assertEquals(List.of("fine.idl"), TestJars.files(into));
    assertFalse(Files.exists(dir.resolve("out/escaped.idl")));
    assertFalse(Files.exists(dir.resolve("escaped.idl")));
    assertEquals(2, log.at("WARNING").size(), log.lines.toString());
    assertTrue(log.at("WARNING").get(0).contains("not a plain relative path"), log.lines.toString());
  }

  @Test
  void anEntryLargerThanAnyIdlFileIsIgnored(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("bomb-1.0.jar");
    try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry(DependencyIdl.PREFIX + "huge.idl"));
      zip.write(new byte[(int) DependencyIdl.MAX_FILE_BYTES + 1]);
    }
    RecordingLog log = new RecordingLog();

    assertEquals(List.of(), DependencyIdl.copy(List.of(jar), dir.resolve("imports"), log));
    assertEquals(List.of("Onyx: ignoring META-INF/onyx/idl/huge.idl in the dependency bomb-1.0.jar: larger than 16 MiB"),
        log.at("WARNING"));
  }

  /** rpcgen's files named .rpcl (liblxi's vxi11core.rpcl) were left out of the copy, so an import of one failed. */
  @Test
  void rpclFilesAreCopiedAsXFilesAre(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("lxi/target/classes");
    Files.createDirectories(classes.resolve(DependencyIdl.PREFIX + "vxi"));
    Files.writeString(classes.resolve(DependencyIdl.PREFIX + "vxi/vxi11core.rpcl"), "const VXI11_CORE = 1;");
    Path jar = TestJars.jar(dir.resolve("vxi-1.0.jar"), Map.of(DependencyIdl.PREFIX + "vxi/vxi11intr.rpcl", "const INTR = 2;"));
    Path into = dir.resolve("imports");

    assertEquals(List.of(into), DependencyIdl.copy(List.of(classes, jar), into, new RecordingLog()));
    assertEquals(List.of("vxi/vxi11core.rpcl", "vxi/vxi11intr.rpcl"), TestJars.files(into));
  }

  @Test
  void noIdlLeavesNoDirectory(@TempDir Path dir) throws Exception {
    Path jar = TestJars.jar(dir.resolve("plain-1.0.jar"), Map.of("com/example/Plain.class", "class"));
    Path into = dir.resolve("imports");
    Files.createDirectories(into);

    assertEquals(List.of(), DependencyIdl.copy(List.of(jar), into, new RecordingLog()));
    assertFalse(Files.exists(into));
  }
}
