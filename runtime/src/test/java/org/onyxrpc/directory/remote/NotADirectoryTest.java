package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A RemoteDirectory pointed at the wrong port (a server's, say) took the server's PROG_UNAVAIL
 * for Onyx's names as "a plain rpcbind" and answered a look-up by name with no instances: a user
 * then looked for the fault in the service. Now it asks rpcbind's NULL first and says the port
 * holds no directory; a plain rpcbind is still taken as one.
 */
class NotADirectoryTest {
  private static RpcServer serving(ServiceDefinition service) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(service).build().start();
  }

  private static RemoteDirectory at(RpcServer server) {
    return RemoteDirectory.builder().address("127.0.0.1", server.port()).timeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void aLookUpByNameAtAServersPortSaysThereIsNoDirectory() throws Exception {
    try (RpcServer server = serving(new TestService().definition());
        RemoteDirectory directory = at(server)) {
      RpcException e = assertThrows(RpcException.class, () -> directory.lookup("com.example.Calc"));
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status());
      assertEquals("127.0.0.1:" + server.port() + " is not a directory: it serves neither Onyx's directory"
          + " (program 0x20004f4e) nor rpcbind (program 100000); check the port (rpcbind's is 111)", e.getMessage());
    }
  }

  @Test
  void aPlainRpcbindIsStillOneThatKeepsNoNames() throws Exception {
    try (RpcServer rpcbind = serving(ServiceDefinition.builder(100000, 2).build());
        RemoteDirectory directory = at(rpcbind)) {
      assertEquals(List.of(), directory.lookup("com.example.Calc"));
      assertFalse(directory.keepsNames());
    }
  }
}
