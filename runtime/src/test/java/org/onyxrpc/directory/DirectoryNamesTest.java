package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How directories are named in the messages that quote them (a failed look-up names its directory). */
class DirectoryNamesTest {
  @Test
  void aLocalDirectoryOverAnInMemoryStoreSaysSoRatherThanAnObjectIdentity() {
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore(16))) {
      assertEquals("local directory over in-memory store of at most 16 entries", directory.toString());
    }
  }
}
