package org.onyxrpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The versions a directory has, worded as a server's PROG_MISMATCH words its range. */
class RegisteredVersionsTest {
  @Test
  void oneARangeOrAList() {
    assertNull(RegisteredVersions.described(List.of()));
    assertEquals("version 1 only", RegisteredVersions.described(List.of(1, 1)));
    assertEquals("versions 1..3", RegisteredVersions.described(List.of(3, 1, 2, 2)));
    assertEquals("versions 1, 2 and 5", RegisteredVersions.described(List.of(5, 2, 1)));
  }

  /** Versions are unsigned 32 bits, as rpcinfo prints them: 0x80000001 is not negative. */
  @Test
  void versionsAreUnsigned() {
    assertEquals("versions 2 and 2147483649", RegisteredVersions.described(List.of(0x80000001, 2)));
  }

  /** A directory's entries are a peer's: a name with a thousand versions is not a thousand numbers. */
  @Test
  void atMostEightAreNamed() {
    assertEquals("versions 0, 2, 4, 6, 8, 10, 12, 14 and 992 more",
        RegisteredVersions.described(IntStream.range(0, 1000).map(i -> 2 * i).boxed().toList()));
  }
}
