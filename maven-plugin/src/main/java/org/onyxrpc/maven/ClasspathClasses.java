package org.onyxrpc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@link DependencyClasses} over a compile classpath of jars and class directories (a reactor
 * module's {@code target/classes}). A jar's entries are listed once, when first asked; asked only
 * for the few classes a run generates.
 */
final class ClasspathClasses implements DependencyClasses {
  private final List<Path> entries;
  private final Map<Path, Set<String>> jars = new HashMap<>();

  /** @param entries jars and class directories, in classpath order; others are ignored */
  ClasspathClasses(List<Path> entries) {
    this.entries = List.copyOf(entries);
  }

  @Override
  public Optional<String> holder(String classResource) {
    for (Path entry : entries) {
      if (Files.isDirectory(entry) ? Files.isRegularFile(entry.resolve(classResource))
          : Files.isRegularFile(entry) && jarEntries(entry).contains(classResource)) {
        return Optional.of(shown(entry));
      }
    }
    return Optional.empty();
  }

  private Set<String> jarEntries(Path jar) {
    return jars.computeIfAbsent(jar, file -> {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        return zip.stream().map(ZipEntry::getName).collect(Collectors.toUnmodifiableSet());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the dependency " + file + ": " + FileFailures.words(e), e);
      }
    });
  }

  /** A jar by its file name; a class directory ({@code api/target/classes}) by its module's directory too. */
  static String shown(Path entry) {
    Path name = entry.getFileName();
    if (Files.isDirectory(entry) && entry.getParent() != null && entry.getParent().getParent() != null) {
      return entry.getParent().getParent().getFileName() + "/" + entry.getParent().getFileName() + "/" + name;
    }
    return String.valueOf(name);
  }
}
