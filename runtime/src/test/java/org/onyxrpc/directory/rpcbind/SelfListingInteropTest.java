package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * What Debian's rpcbind lists for its own local socket (its DUMP over TCP: program 100000,
 * versions 3 and 4, netid {@code local}, {@code /run/rpcbind.sock}), the Onyx directory on the
 * same socket lists too (and version 2, which its relay also answers there). Before, it listed
 * no local entry for itself (ops30).
 */
@ResourceLock("port 111")
class SelfListingInteropTest {
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcbind")
      .registeringThroughTheRpcbindSocket("both directories listen on");

  @Test
  void theDirectoryListsItsLocalSocketAsRpcbindDoes() throws Exception {
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    List<String> debian;
    try {
      Process rpcbind = port111.tools().start("rpcbind", "-f");
      AtomicReference<List<Rpcb.Mapping>> dump = new AtomicReference<>();
      Await.within(() -> {
        dump.set(rpcbind.isAlive() ? dumpOrNull() : null);
        return !rpcbind.isAlive() || dump.get() != null;
      }, Duration.ofSeconds(15));
      if (dump.get() == null) {
        fail("rpcbind -f did not answer on port 111:\n" + Files.readString(work.resolve("rpcbind.log")));
      }
      debian = localSelf(dump.get());
      rpcbind.destroy();
      rpcbind.waitFor();
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET); // rpcbind leaves it behind on SIGTERM
      }
    }
    assertEquals(List.of("3 " + RPCBIND_SOCKET, "4 " + RPCBIND_SOCKET), debian, "what Debian's rpcbind lists");
    NativeTools.awaitPort111();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET);
        RpcClient client = directory.client(Transport.TCP, 0)) {
      List<String> onyx = localSelf(client.call(Rpcb.dump(Rpcb.VERSION_4), null));
      assertTrue(onyx.containsAll(debian), "the directory lists " + onyx + ", rpcbind " + debian);
      assertEquals(List.of("2 " + RPCBIND_SOCKET, "3 " + RPCBIND_SOCKET, "4 " + RPCBIND_SOCKET), onyx);
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET);
      }
    }
  }

  /** Program 100000's entries under netid "local": "version address", in version order. */
  private static List<String> localSelf(List<Rpcb.Mapping> dump) {
    return dump.stream().filter(m -> m.program() == Rpcb.PROGRAM && m.netid().equals("local"))
        .map(m -> Integer.toUnsignedString(m.version()) + " " + m.address()).sorted().toList();
  }

  private static List<Rpcb.Mapping> dumpOrNull() {
    try (RpcClient c = RpcClient.builder().address("127.0.0.1", Portmap.PORT).transport(Transport.TCP)
        .ioStrategy(IoStrategy.EVENT_LOOP).build()) {
      return c.call(Rpcb.dump(Rpcb.VERSION_4), null);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
