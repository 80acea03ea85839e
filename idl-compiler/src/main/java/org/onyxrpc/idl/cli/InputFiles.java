package org.onyxrpc.idl.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How idlc words an input file it cannot read ({@code cannot read FILE: no such file}), for the
 * tools that take files as it does ({@code onyx call --idl}, {@code --prelude} and {@code -d
 * @FILE}): one mistake then reads the same whichever command met it.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Why {@code file} cannot be read, in idlc's words, or null when it can: {@code cannot read
   * FILE: no such file} (or {@code a directory}, {@code permission denied}).
   *
   * @param cwd the directory the message shows {@code file} relative to, when it is under it
   * @param file the file, resolved
   * @param inDirectory what a directory holds that should be named instead (e.g. {@code "the
   *     .idl, .x and .rpcl files"}), said after "a directory"; null to say only that
   * @return the message, or null when the file can be read
   */
  public static String unreadable(Path cwd, Path file, String inDirectory) {
    String reason = Files.isDirectory(file)
        ? "a directory" + (inDirectory == null ? "" : " (name " + inDirectory + " in it)")
        : !Files.exists(file) ? "no such file"
        : !Files.isReadable(file) ? "permission denied"
        : null; // a pipe too ("-d @<(make-args)"), read as a file is
    return reason == null ? null : cannotRead(cwd, file, reason);
  }

  /**
   * Why {@code dir}, given as {@code -I DIR}, holds no file to include, in idlc's words, or null
   * when it is a directory: {@code -I DIR: no such directory} (or {@code not a directory}). A
   * warning, not an error: build scripts name directories only some machines have.
   *
   * @param cwd the directory the message shows {@code dir} relative to, when it is under it
   * @param dir the include directory, resolved
   * @return the message, or null when {@code dir} is a directory
   */
  public static String notAnIncludeDirectory(Path cwd, Path dir) {
    String reason = notADirectory(dir);
    return reason == null ? null : "-I " + Idlc.shown(cwd, dir) + ": " + reason;
  }

  /**
   * Why {@code dir} is no directory, as idlc says it of {@code -I DIR}, for the tools that name
   * include directories their own way (the Maven plugin's {@code <includeDirectories>}).
   *
   * @param dir the directory, resolved
   * @return {@code no such directory} or {@code not a directory}, or null when it is a directory
   */
  public static String notADirectory(Path dir) {
    return Files.isDirectory(dir) ? null : Files.exists(dir) ? "not a directory" : "no such directory";
  }

  /**
   * {@code cannot read FILE: REASON}, with {@code FILE} shown as idlc shows paths.
   *
   * @param cwd the directory the message shows {@code file} relative to, when it is under it
   * @param file the file
   * @param reason why it could not be read
   * @return the message
   */
  public static String cannotRead(Path cwd, Path file, String reason) {
    return "cannot read " + Idlc.shown(cwd, file) + ": " + reason;
  }
}
