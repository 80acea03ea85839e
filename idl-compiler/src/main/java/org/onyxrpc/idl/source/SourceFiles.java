package org.onyxrpc.idl.source;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files are schema sources, and which of them are read in rpcgen's language rather than
 * Onyx IDL. A directory's sources are its {@code .idl} files and rpcgen's under both names its
 * users give them: {@code .x} and {@code .rpcl} (EPICS asyn's and liblxi's {@code
 * vxi11core.rpcl}). Every tool that lists a directory, a jar or a baseline asks {@link
 * #isSource}, so that a file named on idlc's command line is never skipped when its directory is
 * compiled, checked for compatibility or packaged.
 */
public final class SourceFiles {
  /**
   * The endings of rpcgen's files, {@code .x} first: what a header rpcgen made ({@code X.h}) is
   * looked up as, X with each of them in turn.
   */
  public static final List<String> RPCGEN_ENDINGS = List.of(".x", ".rpcl");

  /** The endings of schema sources: Onyx IDL's, then {@link #RPCGEN_ENDINGS}. */
  public static final List<String> ENDINGS =
      Stream.concat(Stream.of(".idl"), RPCGEN_ENDINGS.stream()).toList();

  private SourceFiles() {}

  /**
   * Whether a file of this name is a schema source that a directory's listing takes.
   *
   * @param name a file's name, path or jar entry name
   * @return whether it ends with one of {@link #ENDINGS}
   */
  public static boolean isSource(String name) {
    for (String ending : ENDINGS) {
      if (name.endsWith(ending)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a file of this name is a schema source that a directory's listing takes.
   *
   * @param file a file
   * @return whether its name ends with one of {@link #ENDINGS}
   */
  public static boolean isSource(Path file) {
    Path name = file.getFileName();
    return name != null && isSource(name.toString());
  }

  /**
   * Whether {@code file}, a path or name as a location gives it, is read as rpcgen reads it: every
   * file but a {@code .idl}. rpcgen reads a file of any name, and a {@code .x} file includes C
   * headers of other names: rpcgen's reading (a lone {@code T *} argument coded as {@code T},
   * plain comments as documentation) must hold for each of them, or the same file would be coded
   * otherwise on the wire under another name.
   *
   * @param file a path or file name
   * @return whether it is read in rpcgen's language
   */
  public static boolean isRpcgen(String file) {
    return !file.endsWith(".idl");
  }
}
