package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine;

/** {@code onyx ping NAME} where the host's directory cannot answer names. */
class PingCommandTest {
  private static final int RPCBIND = 100000;

  @Test
  void aNameAskedOfAPlainRpcbindSaysItKeepsNoNames() throws Exception {
    // Serves rpcbind's program and not Onyx's names: what a host running plain rpcbind answers.
    try (RpcServer rpcbind = RpcServer.builder().transports(Transport.TCP)
        .addService(ServiceDefinition.builder(RPCBIND, 2).build()).build().start()) {
      StringWriter out = new StringWriter();
      CommandLine cl = Onyx.commandLine();
      cl.setOut(new PrintWriter(out));
      assertEquals(ExitCodes.RPC_ERROR, cl.execute("ping", "127.0.0.1", "calc",
          "--rpcbind-port", "" + rpcbind.port(), "--timeout", "5s"));
      assertTrue(out.toString().contains("127.0.0.1 runs a plain rpcbind, which keeps no service names:"
          + " ping the PROGRAM by number (onyx list 127.0.0.1 shows them)"), out.toString());
    }
  }
}
