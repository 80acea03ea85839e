package org.onyxrpc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link NativeBuilds} build depends on besides the files its recipe names: the programs it
 * runs (gcc, rpcgen) and the libraries it links ({@code -ltirpc}). An upgraded gcc, rpcgen or
 * libtirpc changes what the same recipe builds, so their versions are part of a build's key.
 */
interface NativeToolchain {
  /**
   * What {@code program} prints for {@code --version}: gcc's names the distribution's patch level
   * ({@code gcc (Debian 12.2.0-14+deb12u1) 12.2.0}), finer than {@code -dumpfullversion}.
   *
   * @param program a command's first word
   * @return its version text, or a word saying it could not be run (the build will then fail)
   */
  String version(String program);

  /**
   * The file the linker takes for {@code -lNAME}, its links resolved (libtirpc.so names
   * libtirpc.so.3.0.0, whose name carries the library's version).
   *
   * @param name the library's name without "lib" and ".so"
   * @return its file, or empty if the linker finds none
   */
  Optional<Path> library(String name);

  /** The installed toolchain, each program asked once per JVM. */
  static NativeToolchain installed() {
    return Installed.INSTANCE;
  }

  /** Asks the programs on the PATH, caching their answers: they do not change during a run. */
  final class Installed implements NativeToolchain {
    private static final Installed INSTANCE = new Installed();
    private static final long SECONDS = 60;

    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final Map<String, Optional<Path>> libraries = new ConcurrentHashMap<>();

    private Installed() {}

    @Override
    public String version(String program) {
      return versions.computeIfAbsent(program, p -> output(p, "--version").orElse("(no version)"));
    }

    @Override
    public Optional<Path> library(String name) {
      return libraries.computeIfAbsent(name, n -> {
        String file = "lib" + n + ".so";
        // gcc echoes the bare name when no directory of its search path holds the file.
        return output("gcc", "-print-file-name=" + file).map(String::strip)
            .filter(found -> !found.equals(file)).map(Path::of).filter(Files::isRegularFile)
            .map(Installed::real);
      });
    }

    private static Path real(Path path) {
      try {
        return path.toRealPath();
      } catch (IOException e) {
        return path;
      }
    }

    /** The standard output of a command that exits 0, or empty. */
    private static Optional<String> output(String... command) {
      try {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
          byte[] out = process.getInputStream().readAllBytes();
          return process.waitFor(SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0
              ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } finally {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
