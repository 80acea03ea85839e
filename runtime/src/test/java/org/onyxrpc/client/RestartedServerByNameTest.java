package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * A client built by name ({@code RpcClientBuilder.directory}) finds its server again when the
 * server is restarted on another port under the same registration. Before, the directory was asked
 * once, at build(), as rpcgen's clnt_create asks the portmapper, and every later call failed
 * UNAVAILABLE "nothing listens at tcp 127.0.0.1:OLDPORT" for ever, though the directory had the
 * new port.
 */
class RestartedServerByNameTest {
  private static final int PROGRAM = 0x20000947;

  private static RpcServer server(Directory directory) throws Exception {
    RpcServer s = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP).directory(directory)
        .addService(ServiceDefinition.builder(PROGRAM, 1).build()).build().start();
    assertTrue(s.awaitRegistered(Duration.ofSeconds(30)), "registered");
    return s;
  }

  private static int port(RpcClient client) {
    return ((InetSocketAddress) client.address()).getPort();
  }

  /** Both I/O strategies over TCP and UDP, through a directory served over RPC (the look-up is a call). */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aServerRestartedOnAnotherPortIsFoundAgainOverTcp(IoStrategy io) throws Exception {
    restartedOnAnotherPort(io, Transport.TCP);
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aServerRestartedOnAnotherPortIsFoundAgainOverUdp(IoStrategy io) throws Exception {
    restartedOnAnotherPort(io, Transport.UDP);
  }

  private static void restartedOnAnotherPort(IoStrategy io, Transport transport) throws Exception {
    LocalDirectory store = new LocalDirectory(new InMemoryDirectoryStore());
    try (DirectoryServer directoryServer = DirectoryServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0).directory(store).build().start();
        RemoteDirectory directory = RemoteDirectory.builder().address("127.0.0.1", directoryServer.port()).build()) {
      RpcServer first = server(directory);
      int oldPort = first.port();
      try (RpcClient client = RpcClient.builder().directory(directory, PROGRAM, 1).transport(transport)
          .ioStrategy(io).timeout(Duration.ofSeconds(20)).build()) {
        client.ping(PROGRAM, 1);
        first.close();
        assertTrue(first.awaitTermination(Duration.ofSeconds(30)));
        try (RpcServer second = server(directory)) {
          if (second.port() == oldPort) {
            return; // the system gave the same port back: nothing to find again
          }
          // The connection kept from the first call may not have told the client yet that the
          // server closed it (a caller-runs client reads only when it calls): a call sent on it
          // may have run, as far as the client knows, and fails OUTCOME_UNKNOWN, as before. Over
          // UDP a datagram to the old port meets nothing listening there (ICMP port unreachable)
          // and the call that sent it fails alike. The next call is the one that looks up.
          try {
            client.ping(PROGRAM, 1);
          } catch (RpcException e) {
            assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.toString());
          }
          client.ping(PROGRAM, 1); // before: UNAVAILABLE "nothing listens at tcp 127.0.0.1:OLDPORT"
          assertEquals(second.port(), port(client), "the address the client calls now");
          client.ping(PROGRAM, 1);
        }
      } finally {
        first.close();
      }
    } finally {
      store.close();
    }
  }

  /** A directory that can be down, and counts its look-ups. */
  private static final class SwitchableDirectory implements Directory {
    final LocalDirectory kept = new LocalDirectory(new InMemoryDirectoryStore());
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger lookUps = new AtomicInteger();

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      return kept.register(instance, lease);
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return kept.unregister(instance);
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      return kept.lookup(name);
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      lookUps.incrementAndGet();
      if (down.get()) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "directory down for the test");
      }
      return kept.lookup(program, version);
    }

    @Override
    public String toString() {
      return "the test's directory";
    }
  }

  /**
   * The directory down when the client looks up again: the call fails UNAVAILABLE (it never
   * left) saying so, the old address is kept, no second look-up within the backoff, and once the
   * directory is back and the backoff past (a manual clock), the next call finds the new server.
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void theDirectoryDownMeanwhileKeepsTheAddressAndIsAskedAgainLater(IoStrategy io) throws Exception {
    SwitchableDirectory directory = new SwitchableDirectory();
    ManualTimer clock = new ManualTimer();
    RpcServer first = server(directory);
    int oldPort = first.port();
    try (RpcClient client = clock.timing(RpcClient.builder().directory(directory, PROGRAM, 1).ioStrategy(io)).build()) {
      // No call before the server goes: the first call connects, and is refused.
      first.close();
      assertTrue(first.awaitTermination(Duration.ofSeconds(30)));
      directory.down.set(true);
      int before = directory.lookUps.get();
      RpcException e = assertThrows(RpcException.class, () -> client.ping(PROGRAM, 1));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.toString());
      assertTrue(e.getMessage().contains("nothing listens at tcp 127.0.0.1:" + oldPort)
          && e.getMessage().contains("looking it up again in the test's directory failed")
          && e.getMessage().contains("directory down for the test")
          && e.getMessage().contains("keeps that address"), e.getMessage());
      assertEquals(before + 1, directory.lookUps.get(), "look-ups");
      assertEquals(oldPort, port(client));

      try (RpcServer second = server(directory)) {
        directory.down.set(false);
        // Within the backoff: no look-up, the call fails as it did before this change.
        RpcException again = assertThrows(RpcException.class, () -> client.ping(PROGRAM, 1));
        assertEquals(RpcStatus.UNAVAILABLE, again.status(), again.toString());
        assertEquals(before + 1, directory.lookUps.get(), "look-ups within the backoff");
        clock.advance(Duration.ofSeconds(20));
        client.ping(PROGRAM, 1);
        assertEquals(before + 2, directory.lookUps.get(), "look-ups");
        assertEquals(second.port(), port(client));
      }
    } finally {
      first.close();
      directory.kept.close();
    }
  }

  /** A look-up that finds the program no more: UNAVAILABLE, saying what the directory said. */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aLookUpThatFindsNothingKeepsTheAddress(IoStrategy io) throws Exception {
    SwitchableDirectory directory = new SwitchableDirectory();
    ManualTimer clock = new ManualTimer();
    RpcServer first = server(directory);
    int oldPort = first.port();
    try (RpcClient client = clock.timing(RpcClient.builder().directory(directory, PROGRAM, 1).ioStrategy(io)).build()) {
      first.close(); // no call before: the first call connects, and is refused
      assertTrue(first.awaitTermination(Duration.ofSeconds(30)));
      assertTrue(directory.lookup(PROGRAM, 1).isEmpty(), "a closed server unregisters");
      int before = directory.lookUps.get();
      RpcException e = assertThrows(RpcException.class, () -> client.ping(PROGRAM, 1));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.toString());
      assertTrue(e.getMessage().contains("nothing listens at tcp 127.0.0.1:" + oldPort)
          && e.getMessage().contains("looking it up again in the test's directory failed"), e.getMessage());
      assertEquals(before + 1, directory.lookUps.get(), "look-ups");
      for (int i = 0; i < 5; i++) { // no storm: none within the backoff
        assertEquals(RpcStatus.UNAVAILABLE, assertThrows(RpcException.class, () -> client.ping(PROGRAM, 1)).status());
      }
      assertEquals(before + 1, directory.lookUps.get(), "look-ups within the backoff");
      assertEquals(oldPort, port(client));
    } finally {
      first.close();
      directory.kept.close();
    }
  }

  /**
   * Over a Unix socket, through the directory's local entries: a server restarted on another
   * socket file is found there.
   */
  @Test
  void aServerRestartedOnAnotherUnixSocketIsFoundAgain(@TempDir Path work) throws Exception {
    SwitchableDirectory directory = new SwitchableDirectory();
    RpcServer first = unixServer(directory, work.resolve("first.sock"));
    try (RpcClient client = RpcClient.builder().directory(directory, PROGRAM, 1).transport(Transport.UNIX)
        .timeout(Duration.ofSeconds(20)).build()) {
      first.close(); // no call before: the first call connects, and is refused
      assertTrue(first.awaitTermination(Duration.ofSeconds(30)));
      try (RpcServer second = unixServer(directory, work.resolve("second.sock"))) {
        client.ping(PROGRAM, 1); // before: UNAVAILABLE, no such socket file
        assertEquals(org.onyxrpc.transport.UnixSocketAddress.of(work.resolve("second.sock")), client.address());
      }
    } finally {
      first.close();
      directory.kept.close();
    }
  }

  private static RpcServer unixServer(Directory directory, Path socket) throws Exception {
    RpcServer s = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).unixSocket(socket)
        .transports(Transport.UNIX).directory(directory)
        .addService(ServiceDefinition.builder(PROGRAM, 1).build()).build().start();
    assertTrue(s.awaitRegistered(Duration.ofSeconds(30)), "registered");
    return s;
  }
}
