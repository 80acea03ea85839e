package org.onyxrpc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A baseline artifact's schema files, unpacked for check-compat; and what the generate goal packages. */
class BaselineArtifactTest {
  @TempDir Path dir;

  /** A released jar's .rpcl files were left out: the baseline lost them and its check passed them by. */
  @Test
  void unpacksEverySchemaFileOfTheJarAndNothingElse() throws Exception {
    Path jar = jar(Map.of(
        DependencyIdl.PREFIX + "shop/item.idl", "package shop;",
        DependencyIdl.PREFIX + "nfs/nfs_prot.x", "const NFS_PORT = 2049;",
        DependencyIdl.PREFIX + "vxi/vxi11core.rpcl", "const DEVICE_CORE = 0x0607AF;",
        "com/example/Item.class", "class",
        "META-INF/MANIFEST.MF", "Manifest-Version: 1.0"));
    Path target = dir.resolve("baseline");
    Files.createDirectories(target.resolve("old"));
    Files.writeString(target.resolve("old/stale.x"), "from the last run");

    BaselineArtifact.extract(jar, target, "com.example:shop:1.0");

    String onyx = DependencyIdl.PREFIX;
    assertEquals(List.of(onyx + "nfs/nfs_prot.x", onyx + "shop/item.idl", onyx + "vxi/vxi11core.rpcl"), TestJars.files(target));
  }

  @Test
  void aJarWithoutSchemaFilesIsAnError() throws Exception {
    Path jar = jar(Map.of("com/example/Item.class", "class"));
    MojoExecutionException failure = assertThrows(MojoExecutionException.class,
        () -> BaselineArtifact.extract(jar, dir.resolve("baseline"), "com.example:shop:1.0"));
    assertEquals("Onyx: the baseline com.example:shop:1.0 holds no schema files (.idl, .x, .rpcl; add"
        + " src/main/idl to the released jar's resources)", failure.getMessage());
  }

  /** The generate goal's jar carried src/main/idl's .idl and .x files, and not its .rpcl files. */
  @Test
  void theJarCarriesEverySchemaFileOfTheSourceDirectories() {
    assertEquals(List.of("**/*.idl", "**/*.x", "**/*.rpcl"), GenerateMojo.includes());
  }

  private Path jar(Map<String, String> entries) throws IOException {
    return TestJars.jar(dir.resolve("shop-1.0.jar"), entries);
  }
}
