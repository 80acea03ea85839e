package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A plain rpcbind (or version-2 portmapper) that has the program version at another address
 * already, as it has after an rpcgen server was killed: it never unregisters. Before, the server
 * logged only "… has program 0x20005858 version 1 at 127.0.0.1.197.168 already; retrying", and a
 * user moving from C was left to guess why and what to do.
 */
class TakenRegistrationTest {
  private static final ServiceInstance INSTANCE =
      new ServiceInstance("com.example.Inventory", 0x20005858, 1, "tcp", "0.0.0.0.156.64", "");
  private static final String WHAT_TO_DO = " (another server's, or left by one that exited"
      + " without unregistering: if nothing listens there, `rpcinfo -d 536893528 1`, run as its"
      + " owner or root, removes it)";

  @Test
  void rpcbindSaysHowToRemoveAStaleEntry() throws Exception {
    ServiceDefinition rpcbind = ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
        .procedure(Rpcb.set(Rpcb.VERSION_4), (mapping, context) -> false)
        .procedure(Rpcb.GETVERSADDR, (mapping, context) -> "127.0.0.1.197.168")
        .build();
    assertEquals("rpcbind at 127.0.0.1:PORT has program 0x20005858 version 1 at 127.0.0.1.197.168"
        + " already" + WHAT_TO_DO, refusal(rpcbind));
  }

  @Test
  void aVersion2PortmapperSaysTheSame() throws Exception {
    ServiceDefinition portmap = ServiceDefinition.builder(Portmap.PROGRAM, Portmap.VERSION)
        .procedure(Portmap.SET, (mapping, context) -> false)
        .procedure(Portmap.GETPORT, (mapping, context) -> 50600)
        .build();
    assertEquals("portmapper at 127.0.0.1:PORT has program 0x20005858 version 1 over tcp at port"
        + " 50600 already" + WHAT_TO_DO, refusal(portmap));
  }

  /** The message of the registration's failure with a directory that serves only {@code service}. */
  private static String refusal(ServiceDefinition service) throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(org.onyxrpc.directory.Directory.none()).addService(service).build().start();
        RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", server.port())) {
      RpcException e = assertThrows(RpcException.class,
          () -> directory.register(INSTANCE, Duration.ofSeconds(30)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      return e.getMessage().replace(":" + server.port() + " ", ":PORT ");
    }
  }
}
