package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * {@code onyx ping HOST NAME} against a directory whose instances of the name are at no address a
 * client can call: one that does not parse (escape sequences included), port 0, a group
 * (multicast) or the broadcast address. Each is said to be so, quoted escaped, and pinged nowhere;
 * the run fails as for an instance not available.
 */
class LyingDirectoryPingTest {
  private static final int CALC = 0x20000101;

  @Test
  void instancesAtNoAddressAreSaidToBeSoAndPingedNowhere() throws Exception {
    List<ServiceInstance> lies = List.of(
        new ServiceInstance("com.example.Calc", CALC, 1, "tcp", "\u001b[2Jno.such.address", "0"),
        new ServiceInstance("com.example.Calc", CALC, 1, "tcp", "127.0.0.1.0.0", "0"),
        new ServiceInstance("com.example.Calc", CALC, 1, "tcp", "224.0.0.1.18.103", "0"),
        new ServiceInstance("com.example.Calc", CALC, 1, "tcp", "255.255.255.255.18.104", "0"));
    try (RpcServer lying = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(Names.PROGRAM, Names.VERSION)
            .procedure(Names.LOOKUP, (name, ctx) -> lies).build())
        .build().start()) {
      CommandRun r = onyx("ping", "127.0.0.1", "com.example.Calc", "--rpcbind-port", "" + lying.port(),
          "--timeout", "5s");
      assertEquals(ExitCodes.RPC_ERROR, r.exit(), r.out() + r.err());
      assertTrue(r.out().contains("program 0x20000101 version 1: the directory at 127.0.0.1:" + lying.port()
          + " has com.example.Calc over tcp at '\\x1b[2Jno.such.address', not an address a client can call"),
          r.out() + r.err());
      assertTrue(r.out().contains("at '127.0.0.1.0.0', not an address a client can call"), r.out() + r.err());
      // a group's or the broadcast's: the ping went to HOST at their ports before
      assertTrue(r.out().contains("at '224.0.0.1.18.103', not an address a client can call"), r.out() + r.err());
      assertTrue(r.out().contains("at '255.255.255.255.18.104', not an address a client can call"), r.out() + r.err());
      assertEquals(4, r.out().lines().count(), r.out() + r.err());
    }
  }

  /**
   * {@code onyx ping --transport unix HOST PROGRAM VERSION} pings the socket path the directory's
   * GETADDRLIST gives, which its registrant chose: a path with escape sequences (pinged, and not
   * there) and one too long for the kernel are printed escaped. Before, both reached the terminal
   * as sent, in the ping's line and in the failure's message.
   */
  @Test
  void socketPathsFromTheDirectoryArePrintedEscaped() throws Exception {
    for (String path : List.of("/nonexistent/\u001b]0;owned\u0007\u001b[2J.sock",
        "/nonexistent/\u001b[2J" + "x".repeat(100))) { // past 107 bytes, within rpcbind's 128
      List<Rpcb.Entry> lies = List.of(new Rpcb.Entry(path, "local", Rpcb.NC_TPI_COTS_ORD, "loopback", "-"));
      try (RpcServer lying = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
          .directory(Directory.none())
          .addService(ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
              .procedure(Rpcb.GETADDRLIST, (query, ctx) -> lies).build())
          .build().start()) {
        CommandRun r = onyx("ping", "127.0.0.1", "" + CALC, "1", "--transport", "unix",
            "--rpcbind-port", "" + lying.port(), "--timeout", "5s");
        assertEquals(ExitCodes.RPC_ERROR, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), r.out());
        assertTrue(r.out().contains("\\x1b[2J"), r.out());
      }
    }
  }
}
