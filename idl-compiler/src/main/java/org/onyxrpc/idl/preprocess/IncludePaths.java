package org.onyxrpc.idl.preprocess;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * The directories an {@code #include} searches, in cpp's order, each once: beside the including
   * file for a quoted name, then the {@code -I} directories, then {@link #SYSTEM}.
   */
  static List<Path> searched(Path including, boolean quoted, List<Path> includeDirs) {
    List<Path> searched = new ArrayList<>();
    // A file named without a directory ("idlc nis.x") lies in the working directory, where cpp
    // looks beside it: its relative path has no parent.
    Path beside = including.toAbsolutePath().getParent();
    if (quoted && beside != null) {
      searched.add(beside);
    }
    searched.addAll(includeDirs);
    searched.addAll(SYSTEM);
    // The including file's directory is often an include directory too: searched and named once.
    return searched.stream().map(dir -> dir.toAbsolutePath().normalize()).distinct().toList();
  }

  /**
   * The directories an {@code #include_next} searches: those of an {@code #include <…>} after
   * {@code foundIn}, where the including file was found; all of them when it is not one of them.
   */
  static List<Path> after(Path foundIn, List<Path> includeDirs) {
    List<Path> chain = searched(Path.of("."), false, includeDirs);
    int at = foundIn == null ? -1 : chain.indexOf(foundIn.toAbsolutePath().normalize());
    return chain.subList(at + 1, chain.size());
  }

  /** The first of {@code dirs} that holds a file named {@code name} (see {@link #find}), or null. */
  static Path directoryOf(List<Path> dirs, String name) {
    for (Path dir : dirs) {
      if (find(List.of(dir), name) != null) {
        return dir;
      }
    }
    return null;
  }

  /**
   * The first file named {@code name} in {@code dirs}, or null. As for cpp, any file but a
   * directory: {@code #include "/dev/null"} includes nothing, and a directory is not found.
   */
  static Path find(List<Path> dirs, String name) {
    for (Path dir : dirs) {
      Path candidate = candidate(dir, name);
      if (candidate != null && Files.exists(candidate) && !Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
