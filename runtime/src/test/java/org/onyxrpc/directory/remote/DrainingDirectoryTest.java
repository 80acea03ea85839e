package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An Onyx directory shutting down refuses every program PROG_UNAVAIL, rpcbind's too. A server's
 * registration (or renewal) that met it took the directory for a plain rpcbind, which has no
 * names, for good: once the directory was back, the server registered through SET only and a
 * look-up by name through that client found nothing (NamesAndLeasesTest's restarted directory
 * was repopulated only when no renewal met the drain). Now a directory is taken for a plain
 * rpcbind only once its SET worked.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DrainingDirectoryTest {
  private static final String NAME = "org.onyxrpc.test.Draining";
  private static final Procedure<Integer, Integer> OTHER =
      new Procedure<>(0x20000999, 1, 1, "Other.echo", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void aRegistrationRefusedByADrainingDirectoryUsesNamesOnceItIsBack() throws Exception {
    ServiceInstance instance = new ServiceInstance(NAME, TestService.PROGRAM, 1, "tcp", "127.0.0.1.39.16", "0");
    int port;
    // Refuses every program PROG_UNAVAIL, as a draining directory does: it serves another one only.
    try (RpcServer refusing = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .addService(ServiceDefinition.builder(OTHER.program(), 1).procedure(OTHER, (p, ctx) -> 0).build())
        .build().start();
        RemoteDirectory remote = RemoteDirectory.builder().address("127.0.0.1", refusing.port())
            .timeout(Duration.ofSeconds(5)).build()) {
      port = refusing.port();
      RpcException e = assertThrows(RpcException.class, () -> remote.register(instance, Duration.ofMinutes(1)));
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e.getMessage());
      refusing.close();
      try (DirectoryServer back = DirectoryServer.builder().port(port)
          .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start()) {
        remote.register(instance, Duration.ofMinutes(1));
        assertEquals(1, back.directory().lookup(NAME).size(), "registered without its name");
        assertEquals(1, remote.lookup(NAME).size(), "looked up by name through the same client");
      }
    }
  }
}
