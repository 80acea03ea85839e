package org.onyxrpc.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link IdlGenerationTest} and {@link IdlGenerationReportsTest} start from: a project with
 * two .idl files in src/main/idl, greeter.idl importing common.idl, and the generation of its
 * default execution.
 */
abstract class GreeterProject {
  static final String GREETER = """
      package com.example.greet;
      import "common.idl";
      @program(0x20000201)
      service Greeter {
        version 1 {
          string greet(Name who) = 1;
        }
      }
      """;
  static final String COMMON = """
      package com.example.greet;
      struct Name { string text<64>; };
      """;

  @TempDir Path project;
  /** src/main/idl. */
  Path idl;
  /** target/generated-sources/onyx. */
  Path out;
  /** From {@link #idl} into {@link #out}. */
  IdlGeneration generation;

  @BeforeEach
  void writeTheProject() throws IOException {
    idl = Files.createDirectories(project.resolve("src/main/idl"));
    out = project.resolve("target/generated-sources/onyx");
    generation = new IdlGeneration(project, Path.of("src/main/idl"), List.of(), Path.of("target/generated-sources/onyx"),
        Path.of("target/onyx-maven-plugin/generate-default.index"), "1.0");
    Files.writeString(idl.resolve("greeter.idl"), GREETER);
    Files.writeString(idl.resolve("common.idl"), COMMON);
  }
}
