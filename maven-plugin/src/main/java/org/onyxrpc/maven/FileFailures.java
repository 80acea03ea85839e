package org.onyxrpc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A file operation's failure in words: the file and the reason. NIO's exceptions for the
 * commonest failures (permission denied, a file in the way of a directory) carry the path alone,
 * so a build failed with "cannot generate Java from src/main/idl: /p/target/generated-sources",
 * which does not say what went wrong.
 */
final class FileFailures {
  private FileFailures() {}

  /** "FILE: reason", FILE as {@code shown} names it; a failure not about a file, its message. */
  static String words(Throwable failure, Function<Path, String> shown) {
    if (failure instanceof UncheckedIOException unchecked) {
      return words(unchecked.getCause(), shown);
    }
    if (!(failure instanceof FileSystemException f) || f.getFile() == null) {
      return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }
    return shown.apply(Path.of(f.getFile())) + ": " + reason(f);
  }

  private static String reason(FileSystemException f) {
    if (f instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (f instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (f instanceof FileAlreadyExistsException) {
      // What Files.createDirectories throws for a file where a directory is to be.
      return "it exists and is not a directory";
    }
    if (f instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
  }

  /** For callers that name files absolutely. */
  static String words(IOException failure) {
    return words(failure, Path::toString);
  }
}
