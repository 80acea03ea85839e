package org.onyxrpc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.plugin.logging.Log;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * The {@code .idl} and {@code .x} files that a project's dependencies carry under {@value
 * #PREFIX} (where the {@code generate} goal puts a module's own), copied into one directory that
 * imports are looked up in after the project's own directories. So a client project imports a
 * published api jar's {@code .idl} by the path it had in that project ({@code import
 * "com/example/shapes/shapes.idl";}) with nothing but the dependency, as protobuf's Maven plugins
 * do for {@code .proto} files; the classes the jar holds are then not generated again
 * ({@link ClasspathClasses}).
 */
final class DependencyIdl {
  /** Where in a jar, or a class directory, a module's IDL files lie, by their path under its source root. */
  static final String PREFIX = "META-INF/onyx/idl/";

  /** No IDL file is this large; a larger entry is a mistake or a zip bomb, skipped with a warning. */
  static final long MAX_FILE_BYTES = 16L << 20;

  private DependencyIdl() {}

  /**
   * Replaces what {@code into} held with the IDL files of {@code classpath}'s entries; where two
   * entries carry one path, the first in classpath order wins, as a class would, and a different
   * copy later is a warning.
   *
   * @param classpath jars and class directories, in classpath order; others are ignored
   * @return {@code into} when any file was found (it then holds exactly those), else empty
   *     ({@code into} is then removed)
   */
  static List<Path> copy(List<Path> classpath, Path into, Log log) throws IOException {
    deleteTree(into);
    Copies copies = new Copies(into, log);
    for (Path entry : classpath) {
      if (Files.isDirectory(entry.resolve(PREFIX))) {
        readDirectory(entry, copies);
      } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
        readJar(entry, copies, log);
      }
    }
    return copies.from.isEmpty() ? List.of() : List.of(into);
  }

  /** The files copied so far, each written as soon as it is read: one file in memory at a time. */
  private static final class Copies {
    private final Path into;
    private final Log log;
    /** Each file's name and the dependency it was copied from. */
    private final Map<String, String> from = new LinkedHashMap<>();

    Copies(Path into, Log log) {
      this.into = into;
      this.log = log;
    }

    void add(String name, String dependency, byte[] bytes) throws IOException {
      Path target = into.resolve(name);
      String first = from.putIfAbsent(name, dependency);
      if (first == null) {
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
      } else if (!Arrays.equals(Files.readAllBytes(target), bytes)) {
        log.warn("Onyx: the dependencies " + first + " and " + dependency + " both carry " + name
            + ", with different contents: imports read " + first + "'s");
      }
    }
  }

  private static void readDirectory(Path classes, Copies copies) throws IOException {
    Path root = classes.resolve(PREFIX);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String name = root.relativize(file).toString().replace('\\', '/');
      if (!SourceFiles.isSource(name)) {
        continue;
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        tooLarge(PREFIX + name, ClasspathClasses.shown(classes), copies.log);
      } else {
        copies.add(name, ClasspathClasses.shown(classes), Files.readAllBytes(file));
      }
    }
  }

  private static void readJar(Path jar, Copies copies, Log log) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().filter(e -> e.getName().startsWith(PREFIX) && !e.isDirectory()).toList()) {
        String name = entry.getName().substring(PREFIX.length());
        if (!SourceFiles.isSource(name)) {
          continue;
        }
        if (!isPlainRelative(name)) {
          log.warn("Onyx: ignoring " + entry.getName() + " in the dependency " + jar.getFileName()
              + ": not a plain relative path");
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
          if (bytes.length > MAX_FILE_BYTES) {
            tooLarge(entry.getName(), String.valueOf(jar.getFileName()), log);
            continue;
          }
          copies.add(name, String.valueOf(jar.getFileName()), bytes);
        }
      }
    }
  }

  private static void tooLarge(String name, String dependency, Log log) {
    log.warn("Onyx: ignoring " + name + " in the dependency " + dependency + ": larger than "
        + (MAX_FILE_BYTES >> 20) + " MiB");
  }

  /** A jar entry's name that stays under the directory it is copied into (no zip slip). */
  static boolean isPlainRelative(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
