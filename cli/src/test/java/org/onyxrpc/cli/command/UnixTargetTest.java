package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Unix-domain sockets as typed: {@code unix:PATH} and {@code unix:@NAME} targets, {@code
 * --transport unix}, and what cannot reach them (in-process, UDP, a port, TLS).
 */
class UnixTargetTest {
  @Test
  void unixTargetsArePathsOrAbstractNames() {
    Target file = Target.parse("unix:/run/calc.sock");
    assertEquals(new Target(null, 0, UnixSocketAddress.of(Path.of("/run/calc.sock"))), file);
    assertTrue(file.isUnixSocket());
    assertNull(file.host());
    assertEquals("unix:/run/calc.sock", file.toString());

    Target relative = Target.parse("unix:calc.sock");
    assertEquals(Path.of("calc.sock"), relative.socket().path());

    Target name = Target.parse("unix:@onyx-calc");
    assertTrue(name.socket().isAbstract());
    assertEquals("\0onyx-calc", name.socket().kernelName());
    assertEquals("unix:@onyx-calc", name.toString());

    assertFalse(Target.parse("localhost:4711").isUnixSocket());
  }

  @Test
  void badUnixTargetsSayWhy() {
    assertEquals("no socket in unix:, expected unix:PATH or unix:@NAME",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("unix:")).getMessage());
    assertEquals("unix:@: empty abstract socket name",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("unix:@")).getMessage());
    String tooLong = "/tmp/" + "s".repeat(120);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Target.parse("unix:" + tooLong)).getMessage()
        .startsWith("unix:" + tooLong + ": Unix socket name of 125 bytes is over the 107"));
  }

  @Test
  void transportNames() {
    TransportConverter c = new TransportConverter();
    assertEquals(Transport.TCP, c.convert("tcp"));
    assertEquals(Transport.UDP, c.convert("UDP"));
    assertEquals(Transport.UNIX, c.convert("unix"));
    assertEquals(Transport.UNIX, c.convert("local")); // rpcbind's netid
    assertEquals(java.util.List.of("tcp", "udp", "unix"), new TransportConverter.Names().list());
    for (String inProcess : new String[] {"in-process", "in_process", "IN_PROCESS", "inproc"}) {
      assertEquals("in-process reaches servers in the caller's own JVM only, and onyx runs in a process of its"
              + " own: use one of [tcp, udp, unix]",
          assertThrows(TypeConversionException.class, () -> c.convert(inProcess)).getMessage(), inProcess);
    }
    assertEquals("expected one of [tcp, udp, unix], got sctp",
        assertThrows(TypeConversionException.class, () -> c.convert("sctp")).getMessage());
    assertEquals("expected one of [tcp, udp, unix], got tcp6: tcp6 is tcp to an IPv6 HOST, give --transport tcp"
            + " and the HOST as ::1 or [::1]:PORT",
        assertThrows(TypeConversionException.class, () -> c.convert("tcp6")).getMessage());
    assertEquals("expected one of [tcp, udp, unix], got UDP6: UDP6 is udp to an IPv6 HOST, give --transport udp"
            + " and the HOST as ::1 or [::1]:PORT",
        assertThrows(TypeConversionException.class, () -> c.convert("UDP6")).getMessage());
  }

  @Test
  void theTargetImpliesTheTransportUnlessTold() {
    ClientOptions options = new ClientOptions();
    Target unix = Target.parse("unix:/run/calc.sock");
    Target host = Target.parse("localhost");
    Target hostPort = Target.parse("localhost:4711");
    assertEquals(Transport.UNIX, options.transport(unix));
    assertEquals(Transport.TCP, options.transport(host));
    assertEquals(Transport.TCP, options.transport(hostPort));

    options.transport = Transport.UNIX;
    assertEquals(Transport.UNIX, options.transport(unix));
    assertEquals(Transport.UNIX, options.transport(host)); // the directory of localhost has the socket
    assertEquals("--transport unix reaches no port: give unix:PATH (or unix:@NAME), or HOST alone to ask its"
            + " directory for the program's socket, not localhost:4711",
        assertThrows(IllegalArgumentException.class, () -> options.transport(hostPort)).getMessage());

    options.transport = Transport.UDP;
    assertEquals(Transport.UDP, options.transport(hostPort));
    assertEquals("--transport udp cannot reach unix:/run/calc.sock, a Unix-domain socket: leave --transport out,"
            + " or give HOST[:PORT]",
        assertThrows(IllegalArgumentException.class, () -> options.transport(unix)).getMessage());
  }

  @Test
  void tlsIsRefusedOverUnixSockets() {
    TlsOptions tls = new TlsOptions();
    tls.tls = true;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> tls.check(Transport.UNIX)).getMessage()
        .startsWith("--tls needs --transport tcp: the runtime has no TLS over Unix-domain sockets"));
  }

  @Test
  void helpNamesTheUnixForms() {
    CommandLine cl = Onyx.commandLine();
    for (String command : new String[] {"call", "ping", "list"}) {
      String usage = cl.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertTrue(usage.contains("HOST[:PORT]|unix:PATH"), usage);
      assertTrue(usage.contains("--transport=tcp|udp|unix"), usage);
    }
  }

  @Test
  void listAndWatchHelpSaysTheirDirectorySocketIsAUnixPathNotAHost() {
    // list and watch refuse "--transport unix" with a HOST (ListCommand.directory: "asks the
    // directory at unix:PATH"); their help once promised HOST's directory would name the socket.
    CommandLine cl = Onyx.commandLine();
    for (String command : new String[] {"list", "watch"}) {
      String transport = String.join(" ", cl.getSubcommands().get(command).getCommandSpec()
          .findOption("--transport").description());
      assertTrue(transport.contains("Its Unix socket is asked as unix:PATH, not as a HOST."), transport);
      // and nothing of call's and ping's HOST with unix (CommandLineErrorsTest's shared help test)
      assertFalse(transport.contains("a HOST and no port"), transport);
    }
  }
}
