package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * from-java says what it did, and what is missing, in generate's words: INFO lines as Maven's
 * plugins write them, warnings and failures beginning "Onyx:", paths relative to the project.
 * Before, its lines began "Onyx from-java:", a source named in the pom that was not there was
 * only the INFO line "no Java files in [/absolute/path]", and generate's "Generated ... into"
 * read "Onyx from-java: 1 .idl file from 1 Java files into".
 */
class FromJavaMessagesTest {
  @TempDir Path project;

  @Test
  void aMissingSourceIsAWarningAndTheLinesReadAsGeneratesDo() throws Exception {
    RecordingLog log = run(List.of(project.resolve("src/main/jav-first").toFile()));
    assertEquals(List.of("Onyx: <javaSources> src/main/jav-first: no such file or directory"), log.at("WARNING"));
    assertEquals(List.of("No Java files in src/main/jav-first (no such directory): nothing to generate"),
        log.at("INFO"));

    RecordingLog defaults = run(List.of(project.resolve("src/main/java-first").toFile()));
    assertEquals(List.of(), defaults.at("WARNING"), "the default missing is no mistake");

    Path shop = project.resolve("src/main/java-first/shop/Shop.java");
    Files.createDirectories(shop.getParent());
    Files.writeString(shop, "package shop;\n\npublic record Shop(int id, String name) {}\n");
    RecordingLog wrote = run(List.of(project.resolve("src/main/java-first").toFile()));
    assertEquals(List.of("Generated 1 .idl file from 1 Java file into target/generated-idl (1 written, 0 removed)"),
        wrote.at("INFO"));

    Files.writeString(shop, "package shop;\n\nimport java.util.Map;\n\npublic record Shop(Map<String, Integer> stock) {}\n");
    MojoFailureException failed = assertThrows(MojoFailureException.class,
        () -> run(List.of(project.resolve("src/main/java-first").toFile())));
    assertEquals("Onyx: Java that cannot be mapped to IDL, first src/main/java-first/shop/Shop.java:5:20",
        failed.getMessage().substring(0, failed.getMessage().indexOf(": cannot map")));
  }

  private RecordingLog run(List<File> sources) throws Exception {
    FromJavaMojo mojo = new FromJavaMojo();
    MavenProject maven = new MavenProject();
    maven.setFile(project.resolve("pom.xml").toFile());
    set(mojo, "project", maven);
    set(mojo, "javaSources", sources);
    set(mojo, "idlOutputDirectory", project.resolve("target/generated-idl").toFile());
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);
    mojo.execute();
    return log;
  }

  private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    field.set(target, value);
  }
}
