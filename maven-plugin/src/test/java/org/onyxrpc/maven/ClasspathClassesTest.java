package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jar or class directory of a compile classpath holds a class, as the log names it. */
class ClasspathClassesTest {
  @Test
  void findsClassesInJarsAndClassDirectoriesInClasspathOrder(@TempDir Path dir) throws Exception {
    Path classes = Files.createDirectories(dir.resolve("api/target/classes/com/example/shapes")).getParent()
        .getParent().getParent();
    Files.write(classes.resolve("com/example/shapes/Point.class"), new byte[] {1});
    Path jar = dir.resolve("shapes-api-1.0.jar");
    try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry("com/example/shapes/Point.class"));
      zip.putNextEntry(new ZipEntry("com/example/shapes/ShapesV1.class"));
    }
    // A sibling not built yet, and a dependency not in the local repository: they hold nothing.
    ClasspathClasses classpath = new ClasspathClasses(List.of(dir.resolve("client/target/classes"), classes,
        dir.resolve("missing-1.0.jar"), jar));

    assertEquals(Optional.of("api/target/classes"), classpath.holder("com/example/shapes/Point.class"));
    assertEquals(Optional.of("shapes-api-1.0.jar"), classpath.holder("com/example/shapes/ShapesV1.class"));
    assertEquals(Optional.empty(), classpath.holder("com/example/draw/CanvasV1.class"));
  }
}
