package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A native build's key changes with the toolchain, so an upgraded one never reuses old outputs. */
class NativeBuildsTest {
  @TempDir Path dir;

  /** A toolchain whose answers the test sets. */
  private record Fixed(Map<String, String> versions, Map<String, Path> libraries)
      implements NativeToolchain {
    @Override
    public String version(String program) {
      return versions.getOrDefault(program, "(no version)");
    }

    @Override
    public Optional<Path> library(String name) {
      return Optional.ofNullable(libraries.get(name));
    }
  }

  private NativeBuilds.Recipe recipe() {
    return new NativeBuilds.Recipe(List.of(), Map.of("a.x", "program P { version V {} = 1; } = 9;"),
        List.of(List.of("rpcgen", "-c", "-o", "a_xdr.c", "a.x"),
            List.of("gcc", "-I" + dir.resolve("include"), "-c", "a_xdr.c", "-ltirpc")));
  }

  private Fixed toolchain(String gcc, String rpcgen) {
    return new Fixed(Map.of("gcc", gcc, "rpcgen", rpcgen),
        Map.of("tirpc", dir.resolve("libtirpc.so.3.0.0")));
  }

  @Test
  void theSameToolchainGivesTheSameKey() throws Exception {
    Files.createDirectories(dir.resolve("include/rpc"));
    Files.writeString(dir.resolve("libtirpc.so.3.0.0"), "library 1.3.2");
    assertEquals(NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3")),
        NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3")));
  }

  @Test
  void anotherGccOrRpcgenGivesANewKey() throws Exception {
    Files.writeString(dir.resolve("libtirpc.so.3.0.0"), "library 1.3.2");
    String before = NativeBuilds.key(recipe(), toolchain("gcc (Debian 12.2.0-14) 12.2.0",
        "rpcgen 1.4.3"));
    assertNotEquals(before, NativeBuilds.key(recipe(),
        toolchain("gcc (Debian 12.2.0-14+deb12u1) 12.2.0", "rpcgen 1.4.3")));
    assertNotEquals(before, NativeBuilds.key(recipe(),
        toolchain("gcc (Debian 12.2.0-14) 12.2.0", "rpcgen 1.4.4")));
  }

  @Test
  void anotherLibtirpcGivesANewKey() throws Exception {
    Files.writeString(dir.resolve("libtirpc.so.3.0.0"), "library 1.3.2");
    String before = NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3"));
    Files.writeString(dir.resolve("libtirpc.so.3.0.0"), "library 1.3.3");
    assertNotEquals(before, NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3")));
    Fixed renamed = new Fixed(Map.of("gcc", "gcc 12.2.0", "rpcgen", "rpcgen 1.4.3"),
        Map.of("tirpc", Files.copy(dir.resolve("libtirpc.so.3.0.0"),
            dir.resolve("libtirpc.so.3.1.0"))));
    assertNotEquals(before, NativeBuilds.key(recipe(), renamed));
  }

  @Test
  void anEditedHeaderOfAnIncludeDirectoryGivesANewKey() throws Exception {
    Files.writeString(dir.resolve("libtirpc.so.3.0.0"), "library 1.3.2");
    Files.createDirectories(dir.resolve("include/rpc"));
    Files.writeString(dir.resolve("include/rpc/rpc.h"), "#define ONE 1\n");
    String before = NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3"));
    Files.writeString(dir.resolve("include/rpc/rpc.h"), "#define ONE 2\n");
    assertNotEquals(before, NativeBuilds.key(recipe(), toolchain("gcc 12.2.0", "rpcgen 1.4.3")));
  }
}
