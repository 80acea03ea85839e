package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code idlc} script finds {@code target/idlc.jar} beside itself, also when it is run
 * through a symbolic link from a directory on the PATH. A stand-in {@code java} on the PATH
 * prints the jar it was given, so the test needs no built jar.
 */
class IdlcScriptTest {
  @TempDir Path dir;

  @Test
  void theScriptFindsItsJarThroughSymbolicLinks() throws Exception {
    Path home = Files.createDirectories(dir.resolve("onyx/idl-compiler"));
    Files.copy(Path.of("idlc"), home.resolve("idlc"));
    Files.createDirectories(home.resolve("target"));
    Files.writeString(home.resolve("target/idlc.jar"), "");
    Path fakeJava = Files.createDirectories(dir.resolve("jdk"));
    executable(fakeJava.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
    executable(home.resolve("idlc"), null);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("idlc"), home.resolve("idlc"));
    Files.createSymbolicLink(bin.resolve("idlc-relative"), bin.relativize(home.resolve("idlc")));
    Files.createSymbolicLink(bin.resolve("idlc-again"), Path.of("idlc-relative"));

    String jar = home.toRealPath().resolve("target/idlc.jar").toString();
    for (String script : new String[] {home.resolve("idlc").toString(), bin.resolve("idlc").toString(),
        bin.resolve("idlc-relative").toString(), bin.resolve("idlc-again").toString()}) {
      assertEquals("-jar " + jar + " --version\n", run(fakeJava, script, "--version"), script);
    }
  }

  private static void executable(Path file, String text) throws IOException {
    if (text != null) {
      Files.writeString(file, text);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private String run(Path javaDir, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", javaDir + ":/usr/bin:/bin");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return out;
  }
}
