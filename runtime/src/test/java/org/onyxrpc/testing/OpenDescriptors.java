package org.onyxrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This process's open file descriptors, as Linux lists them: what a leak test counts. */
public final class OpenDescriptors {
  private OpenDescriptors() {}

  /**
   * How many descriptors this process has open now.
   *
   * @return the entries of {@code /proc/self/fd}
   */
  public static long count() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
