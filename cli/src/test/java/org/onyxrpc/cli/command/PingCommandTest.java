package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine;

/**
 * What {@code onyx ping} says of a program or name that the directory asked does not have, and
 * of a name asked of a host whose directory cannot answer names.
 */
class PingCommandTest {
  private static final int RPCBIND = 100000;

  private record Run(int exit, String out) {}

  private static Run onyx(String... args) {
    CommandLine cl = Onyx.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return new Run(cl.execute(args), out.toString());
  }

  @Test
  void aMissingProgramOrNameNamesTheDirectoryAskedAndTheNumberAsTyped() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start()) {
      String port = Integer.toString(directory.port());
      Run number = onyx("ping", "127.0.0.1", "0x20000101", "--rpcbind-port", port);
      assertEquals(4, number.exit());
      assertTrue(number.out().contains("\"program 0x20000101 is not registered over tcp in the directory at 127.0.0.1:"
          + port + "\""), number.out());
      Run name = onyx("ping", "127.0.0.1", "com.example.Nothing", "--rpcbind-port", port);
      assertEquals(4, name.exit());
      assertTrue(name.out().contains("\"no service com.example.Nothing is registered in the directory at 127.0.0.1:"
          + port + "\""), name.out());
    }
  }

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
