package org.onyxrpc.idl.javagen;

import com.palantir.javapoet.TypeSpec;
import java.nio.charset.StandardCharsets;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * Refuses a generated class whose file name no common file system takes: ext4, APFS, NTFS and
 * the others hold at most 255 bytes a name, and each class is a file, {@code Name.java} for idlc
 * and {@code Outer$Nested.class} for javac. RPCL sets no limit on a name's length, so a long one
 * is legal and was written as far as the file system, which refused it ("cannot write output",
 * with no place in the .x file), or javac's, which fails the build.
 */
final class FileNameLimits {
  /** The most bytes a file name may have on ext4, APFS, NTFS and most others. */
  static final int MAX_FILE_NAME_BYTES = 255;

  private final Diagnostics diagnostics;

  FileNameLimits(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /**
   * Reports at {@code at} when a file of {@code spec}, the class of {@code kind} {@code name}
   * ("type", "program"), would have too long a name.
   */
  void check(TypeSpec spec, String kind, String name, Location at) {
    String longest = longest(spec, spec.name());
    int bytes = longest.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_FILE_NAME_BYTES) {
      diagnostics.error(at, kind + " name '" + shortened(name) + "' (" + name.length()
          + " characters) makes Java class file '" + shortened(longest) + "' of " + bytes
          + " bytes, more than the " + MAX_FILE_NAME_BYTES + " a file system takes; shorten the name");
    }
  }

  private static String shortened(String name) {
    return name.length() <= 40 ? name : name.substring(0, 20) + "…" + name.substring(name.length() - 16);
  }

  /** The longest class file name of {@code spec}, whose binary name is {@code binary}, and its nested types. */
  private static String longest(TypeSpec spec, String binary) {
    String result = binary + "$1.class";
    for (TypeSpec nested : spec.typeSpecs()) {
      String candidate = longest(nested, binary + "$" + nested.name());
      if (candidate.length() > result.length()) {
        result = candidate;
      }
    }
    return result;
  }
}
