package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Rpcb;

/**
 * A directory with a local socket lists it, as Debian's rpcbind lists its own ({@code 100000 4
 * local /run/rpcbind.sock}, and version 3). Before, it listed itself over TCP and UDP only, so
 * {@code onyx list -s unix:PATH} and rpcinfo's DUMP showed no entry for the socket they had just
 * been answered on (ops30). It lists every version it answers there (the relay takes them all,
 * version 2 and the names program too), at the socket's real absolute path: a relative one
 * means nothing to a client in another directory.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketListedTest {
  @TempDir
  Path dir;

  @Test
  void theLocalSocketIsListedForEveryVersionItAnswers() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryServer directory = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).localSocket(socket).build().start()) {
      List<String> local = directory.directory().table().local().stream()
          .filter(i -> i.netid().equals("local")).map(LocalSocketListedTest::row).sorted().toList();
      String at = dir.toRealPath().resolve("rpcbind.sock") + " " + Owners.self();
      assertEquals(List.of(
          Rpcb.PROGRAM + " 2 " + at, Rpcb.PROGRAM + " 3 " + at, Rpcb.PROGRAM + " 4 " + at,
          Names.PROGRAM + " 1 " + at).stream().sorted().toList(), local);
    }
  }

  @Test
  void aRelativeSocketIsListedAtItsAbsolutePath() throws Exception {
    Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("relative.sock"));
    try (DirectoryServer directory = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).localSocket(relative).build().start()) {
      assertEquals(List.of(dir.toRealPath().resolve("relative.sock").toString()),
          directory.directory().table().local().stream().filter(i -> i.netid().equals("local"))
              .map(ServiceInstance::address).distinct().toList());
    }
  }

  private static String row(ServiceInstance i) {
    return Integer.toUnsignedString(i.program()) + " " + Integer.toUnsignedString(i.version()) + " "
        + i.address() + " " + i.owner();
  }
}
