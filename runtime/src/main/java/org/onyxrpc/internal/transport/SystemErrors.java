package org.onyxrpc.internal.transport;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * The operating system's words in a failure of Netty's native transport, as the JDK's own sockets
 * give them: "Address already in use", not "bind(..) failed with error(-98): Address already in
 * use", which names Netty's native call and the negated errno; and a file operation's reason
 * alone, without the files the JDK names before it.
 */
public final class SystemErrors {
  /** What Netty's native transport puts before the system's words: "finishConnect(..) failed with error(-111): ". */
  private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  private SystemErrors() {}

  /** {@code message} without the native call's prefix; as it is when it has none, null for null. */
  public static String withoutNativeCall(String message) {
    if (message == null) {
      return null;
    }
    String words = NATIVE_CALL.matcher(message).replaceFirst("");
    return words.isEmpty() ? message : words;
  }

  /**
   * The words of {@code failure} for a message: its own, without a native call's prefix, else its
   * class's name. A file operation's are the system's reason alone ("Is a directory"), not the
   * JDK's "FILE -> OTHER: reason", which names the files again (a temporary one, say) and, for
   * the failures the JDK gives a class of their own, has no reason at all.
   */
  public static String words(Throwable failure) {
    if (failure instanceof FileSystemException f) {
      return fileWords(f);
    }
    return failure.getMessage() != null ? withoutNativeCall(failure.getMessage()) : failure.getClass().getSimpleName();
  }

  private static String fileWords(FileSystemException f) {
    if (f.getReason() != null) {
      return f.getReason();
    }
    // The strerror words of the errno the JDK made each of these from, which it drops.
    if (f instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (f instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (f instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "Directory not empty";
    }
    if (f instanceof NotDirectoryException) {
      return "Not a directory";
    }
    return f.getClass().getSimpleName();
  }
}
