package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.internal.directory.Names;

/**
 * A {@link DirectoryServer} takes its settings at {@code build()}: before, it kept its builder and
 * read it again in {@code start()} and {@link DirectoryServer#directory()}, so a builder changed
 * afterwards (reused for a second server, say) made the first serve one directory and announce
 * itself in, and report, another.
 */
class BuilderCopiedTest {
  @TempDir Path work;

  @Test
  void aBuilderChangedAfterBuildDoesNotReachTheServer() throws Exception {
    LocalDirectory served = new LocalDirectory(new InMemoryDirectoryStore());
    LocalDirectory other = new LocalDirectory(new InMemoryDirectoryStore());
    DirectoryServer.Builder builder = DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0).directory(served);
    try (DirectoryServer server = builder.build()) {
      builder.directory(other).localSocket(work.resolve("rpcbind.sock"));
      server.start();
      assertSame(served, server.directory());
      assertTrue(served.lookup(Names.PROGRAM, Names.VERSION).size() > 0, "it lists itself where it serves");
      assertEquals(List.of(), other.lookup(Names.PROGRAM, Names.VERSION));
      assertTrue(!work.resolve("rpcbind.sock").toFile().exists(), "no local socket was asked for at build()");
    }
  }
}
