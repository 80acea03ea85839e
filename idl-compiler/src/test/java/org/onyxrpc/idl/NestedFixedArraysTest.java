package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fewest bytes an element takes, which a generated decoder checks a peer's array count
 * against before it makes the array, for fixed arrays of fixed arrays: 2^31 - 1 rows of 2^31 - 1
 * ints overflowed a long to a negative minimum, taken as 1 byte, so that a count of as many
 * such elements as bytes sent passed the check (and had its list made) where none fits.
 */
class NestedFixedArraysTest {
  @Test
  void anElementOfHugeFixedArraysNeedsTheLargestMinimumNotOneByte(@TempDir Path dir) throws IOException {
    Path idl = dir.resolve("huge.idl");
    Files.writeString(idl, """
        typedef int row[2147483647];
        typedef row grid[2147483647];
        struct huge {
          grid grids<>;
        };
        """);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), List.of(idl));
    assertTrue(result.succeeded(), result.diagnostics().format());
    String huge = result.sources().stream().filter(s -> s.path().endsWith("Huge.java"))
        .findFirst().orElseThrow().content();
    assertTrue(huge.contains("in.readArrayLength(Xdr.UNBOUNDED, 1048576)"), huge);
  }
}
