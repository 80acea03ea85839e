package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine;

/**
 * What {@code onyx ping} says of a program or name that the directory asked does not have, and
 * of a name asked of a host whose directory cannot answer names; and what HOST:PORT means with a
 * NAME: the directory that has it, or else the server.
 */
class PingCommandTest {
  private static final int RPCBIND = 100000;
  private static final int CALC = 0x20000101;

  @Test
  void aMissingProgramOrNameNamesTheDirectoryAskedAndTheNumberAsTyped() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start()) {
      String port = Integer.toString(directory.port());
      CommandRun number = onyx("ping", "127.0.0.1", "0x20000101", "--rpcbind-port", port);
      assertEquals(4, number.exit());
      assertTrue(number.out().contains("\"program 0x20000101 is not registered over tcp in the directory at 127.0.0.1:"
          + port + "\""), number.out());
      CommandRun name = onyx("ping", "127.0.0.1", "com.example.Nothing", "--rpcbind-port", port);
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

  /**
   * A readiness probe ({@code --health}) of a server that serves no health service exits 4, and
   * {@code onyx ping --help} says so where it lists the exit statuses: before, its line for 4
   * named only a version that did not answer and a name or program not registered, so a probe
   * failing with 4 against a server that answers its NULL pings read as a contradiction.
   */
  @Test
  void aHealthProbeOfAServerWithoutTheServiceExits4AsTheHelpSays() throws Exception {
    try (RpcServer server = calculator()) {
      CommandRun probe = onyx("ping", "127.0.0.1:" + server.port(), "0x20000101", "--health");
      assertEquals(4, probe.exit(), probe.out() + probe.err());
      assertTrue((probe.out() + probe.err()).contains("PROG_UNAVAIL: the server has no health service"),
          probe.out() + probe.err());
    }
    String help = onyx("ping", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains(" 4 a version did not answer, the name or program is not registered,"
        + " or (--health) the server has no health service "), help);
  }

  /** A server of CALC version 1 on loopback TCP, registered nowhere by itself. */
  private static RpcServer calculator() throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(ServiceDefinition.builder(CALC, 1).build()).build().start();
  }

  /** A directory of its own, not the process's embedded one, which the other tests serve. */
  private static DirectoryServer directory() throws Exception {
    return DirectoryServer.builder().port(0).directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
  }

  private static void register(DirectoryServer directory, RpcServer server) {
    directory.directory().register(new ServiceInstance("com.example.Calc", CALC, 1, "tcp",
        UniversalAddress.format(new InetSocketAddress("127.0.0.1", server.port())), "unknown"), Duration.ofMinutes(1));
  }

  /** As {@code onyx list HOST:PORT}: the directory at PORT has the name, and its server is pinged. */
  @Test
  void aNameWithTheDirectorysPortIsFoundThereAndItsServerPinged() throws Exception {
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      CommandRun r = onyx("ping", "127.0.0.1:" + directory.port(), "com.example.Calc");
      assertEquals(0, r.exit(), r.out());
      assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"
          + server.port() + ", "), r.out());
    }
  }

  /**
   * A name's every instance is pinged, as the help says: before, only the one a look-up by address
   * gave, so a killed server's entry, whose lease had not run out, hid the instance that serves.
   */
  @Test
  void everyInstanceOfANameIsPinged() throws Exception {
    int gone;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      gone = s.getLocalPort(); // closed below: nothing listens there, as after a kill -9
    }
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      directory.directory().register(new ServiceInstance("com.example.Calc", CALC, 1, "tcp",
          UniversalAddress.format(new InetSocketAddress("127.0.0.1", gone)), "unknown"), Duration.ofMinutes(1));
      register(directory, server);
      CommandRun r = onyx("ping", "127.0.0.1:" + directory.port(), "com.example.Calc");
      assertEquals(4, r.exit(), r.out());
      assertTrue(r.out().contains("program 0x20000101 version 1 is not available (tcp 127.0.0.1:" + gone
          + "): UNAVAILABLE: "), r.out());
      assertTrue(r.out().contains("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"
          + server.port() + ", "), r.out());
      assertEquals(2, r.out().lines().count(), r.out());
    }
  }

  /**
   * A service is registered under its package-qualified name; the IDL's short one, as onyx call
   * takes it, is that name when only one registered name ends in it (before: "no service Calc is
   * registered ...; did you mean com.example.Calc?", exit 4); in another case, it is met with
   * the names that end in it.
   */
  @Test
  void aShortNameEndingOneRegisteredNameIsThatName() throws Exception {
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      CommandRun r = onyx("ping", "127.0.0.1:" + directory.port(), "Calc");
      assertEquals(0, r.exit(), r.out());
      assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"
          + server.port() + ", "), r.out());
      for (String typed : new String[] {"calc", "COM.EXAMPLE.CALC"}) {
        CommandRun miss = onyx("ping", "127.0.0.1:" + directory.port(), typed);
        assertEquals(4, miss.exit(), miss.out());
        assertTrue(miss.out().contains("\"no service " + typed + " is registered in the directory at 127.0.0.1:"
            + directory.port() + "; did you mean com.example.Calc?\""), miss.out());
      }
      CommandRun unlike = onyx("ping", "127.0.0.1:" + directory.port(), "Calculator");
      assertEquals(4, unlike.exit(), unlike.out());
      assertTrue(unlike.out().contains("\"no service Calculator is registered in the directory at 127.0.0.1:"
          + directory.port() + "\""), unlike.out());
    }
  }

  /** A short name that ends two registered names is none of them: both are named. */
  @Test
  void aShortNameEndingTwoRegisteredNamesNamesBoth() throws Exception {
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      directory.directory().register(new ServiceInstance("org.other.Calc", CALC + 1, 1, "tcp",
          UniversalAddress.format(new InetSocketAddress("127.0.0.1", server.port())), "unknown"), Duration.ofMinutes(1));
      CommandRun r = onyx("ping", "127.0.0.1:" + directory.port(), "Calc");
      assertEquals(4, r.exit(), r.out());
      assertTrue(r.out().contains("\"no service Calc is registered in the directory at 127.0.0.1:"
          + directory.port() + "; it ends com.example.Calc and org.other.Calc: give the full name\""), r.out());
    }
  }

  /** A short name at a server's port: the host's directory names the one service, PORT is pinged. */
  @Test
  void aShortNameWithTheServersPortIsPingedThere() throws Exception {
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      CommandRun r = onyx("ping", "127.0.0.1:" + server.port(), "Calc", "--rpcbind-port", "" + directory.port());
      assertEquals(0, r.exit(), r.out());
      assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"
          + server.port() + ", "), r.out());
    }
  }

  /** PORT is the server's, not a directory: the host's directory names the program, PORT is pinged. */
  @Test
  void aNameWithTheServersPortIsPingedThere() throws Exception {
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      CommandRun r = onyx("ping", "127.0.0.1:" + server.port(), "com.example.Calc", "--rpcbind-port", "" + directory.port());
      assertEquals(0, r.exit(), r.out());
      assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (tcp 127.0.0.1:"
          + server.port() + ", "), r.out());
    }
  }

  /** A server's port, and no directory to name the program: say so, and what to give instead. */
  @Test
  void aNameWithAServersPortAndNoDirectorySaysWhatToGive() throws Exception {
    int closed = closedPort();
    try (RpcServer server = calculator()) {
      String at = "127.0.0.1:" + server.port();
      CommandRun r = onyx("ping", at, "com.example.Calc", "--rpcbind-port", "" + closed);
      assertEquals(4, r.exit(), r.out());
      assertTrue(r.out().contains("\"message\" : \"" + at + " is not a directory (it serves neither Onyx's directory nor rpcbind), and no"
          + " directory answers at 127.0.0.1:" + closed + " to find com.example.Calc: give the directory's HOST:PORT"
          + " (as onyx list takes it) or --rpcbind-port, or the PROGRAM number to ping the server at " + at
          + " (nothing listens at tcp 127.0.0.1:" + closed), r.out());
    }
  }

  /** Nothing at HOST:PORT: neither a directory nor a server to ping, said once. */
  @Test
  void aNameWithAPortNobodyListensOnSaysSo() throws Exception {
    int closed = closedPort();
    CommandRun r = onyx("ping", "127.0.0.1:" + closed, "com.example.Calc");
    assertEquals(4, r.exit(), r.out());
    assertTrue(r.out().contains("\"message\" : \"nothing answers at 127.0.0.1:" + closed + ", neither a directory"
        + " to find com.example.Calc in nor its server (nothing listens at tcp 127.0.0.1:" + closed), r.out());
  }

  /**
   * A PROGRAM number at HOST:PORT without VERSION, nothing listening: the versions are drawn out
   * of the server by a call of version 0, which the message must not name as one asked for.
   */
  @Test
  void aProgramAtAPortNobodyListensOnNamesNoVersionNotAsked() throws Exception {
    int closed = closedPort();
    CommandRun r = onyx("ping", "127.0.0.1:" + closed, "0x20000101");
    assertEquals(4, r.exit(), r.out());
    assertTrue(r.out().contains("\"message\" : \"nothing listens at tcp 127.0.0.1:" + closed + " to call NULL of program"
        + " 0x20000101 (asking which versions it has): "), r.out());
    assertFalse(r.out().contains("version 0"), r.out());
  }

  /**
   * The directory has the program, not the version asked: it says which versions it has, as a
   * server's PROG_MISMATCH does, and the status stays UNAVAILABLE (exit 4), nothing having been
   * sent. Before, only "is not registered", though the IDL's highest version is called unasked.
   */
  @Test
  void aVersionTheDirectoryLacksNamesTheVersionsItHas(@TempDir Path dir) throws Exception {
    Path idl = Files.writeString(dir.resolve("calc.idl"), """
        package com.example;
        @program(0x20000101)
        service Calc {
          version 1 { hyper add(hyper a, hyper b) = 1; }
          version 2 { hyper add(hyper a, hyper b) = 1; }
        }
        """);
    try (DirectoryServer directory = directory();
        RpcServer server = calculator()) {
      register(directory, server);
      String port = "" + directory.port();
      CommandRun call = onyx("call", "127.0.0.1", "Calc.add", "--idl", idl.toString(), "--rpcbind-port", port,
          "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, call.exit(), call.toString());
      assertTrue(call.out().contains("\"error\" : \"UNAVAILABLE\""), call.out());
      assertTrue(call.out().contains("\"message\" : \"program 0x20000101 version 2 is not registered over TCP in"
          + " directory at 127.0.0.1:" + port + ": the directory has version 1 only of it over TCP; onyx call chose"
          + " version 2, the highest of the IDL with add: --program-version 1 calls the one registered\""), call.out());

      CommandRun ping = onyx("ping", "127.0.0.1", "com.example.Calc", "2", "--rpcbind-port", port);
      assertEquals(4, ping.exit(), ping.toString());
      assertEquals("program 0x20000101 version 2: no instance of com.example.Calc over tcp in the directory at"
          + " 127.0.0.1:" + port + ": the directory has version 1 only of it over tcp\n", ping.out());
    }
  }

  /** A loopback port that was free a moment ago, and nothing listens on now. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
