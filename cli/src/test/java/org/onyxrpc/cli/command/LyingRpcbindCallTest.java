package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * {@code onyx ping HOST PROGRAM} against an rpcbind whose GETADDRLIST names an address that does
 * not parse: the program is said not to be reachable there, the address quoted escaped, exit 4;
 * not a usage error.
 */
class LyingRpcbindCallTest {
  @Test
  void anAddressThatDoesNotParseIsQuotedNotThrown() throws Exception {
    List<Rpcb.Entry> lie = List.of(new Rpcb.Entry("\u001b[2Jnonsense", "tcp", 0, "inet", "tcp"));
    try (RpcServer rpcbind = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
            .procedure(Rpcb.GETADDRLIST, (m, ctx) -> lie).build())
        .build().start()) {
      CommandRun r = onyx("ping", "127.0.0.1", "0x20000101", "1", "--rpcbind-port", "" + rpcbind.port(),
          "--timeout", "5s");
      assertEquals(ExitCodes.RPC_ERROR, r.exit(), r.out() + r.err());
      assertTrue(r.out().contains("its entry over tcp is at '\\x1b[2Jnonsense', not an address a client can call"),
          r.out() + r.err());
    }
  }
}
