package org.onyxrpc.idl.preprocess;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** Where an {@code import} or {@code #include} names a file, resolved against one directory. */
public final class IncludePaths {
  private IncludePaths() {}

  /**
   * Where cpp looks last for an {@code #include}, after the {@code -I} directories, and so where
   * rpcgen finds {@code #include <rpcsvc/mount.x>} (Apple's automount) in a system's
   * {@code /usr/include/rpcsvc}.
   */
  public static final List<Path> SYSTEM = List.of(Path.of("/usr/local/include"), Path.of("/usr/include"));

  /**
   * {@code dir/name}, absolute and normalised, or null when {@code name} cannot be a path here
   * (a NUL byte, say): the caller then reports the file as not found, as for any other name.
   *
   * @param dir a directory to look in
   * @param name the name as the directive wrote it
   * @return the path to try, or null
   */
  public static Path candidate(Path dir, String name) {
    try {
      return dir.resolve(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
