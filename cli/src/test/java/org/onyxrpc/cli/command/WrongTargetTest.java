package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * A target where nothing answers, or where the wrong kind of program does (a directory's port
 * given to call, a server's to list, a host that does not resolve): the JSON's message says what
 * is there and what to give instead, once, with exit status 4.
 */
class WrongTargetTest {
  /** No port, and no directory on the host to ask for it: say so, and what to give instead. */
  @Test
  void aCallWithoutAPortAndNoDirectorySaysWhatToGive() throws Exception {
    int port = closedPort();
    CommandRun r = onyx("call", "127.0.0.1", "Calculator.add", "--rpcbind-port", String.valueOf(port),
        "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.out().contains("\"message\" : \"no directory (or rpcbind) answers at 127.0.0.1:" + port
        + " to say where program 0x20000101 version 1 listens: give HOST:PORT, or --rpcbind-port if the"
        + " directory is on another port (nothing listens at tcp 127.0.0.1:" + port), r.toString());
    assertFalse(r.out().contains("\"cause\""), r.toString()); // told once, in the message
    assertEquals("", r.err());
  }

  /**
   * A host whose name does not resolve is told as that, as with a PORT, not as "no directory (or
   * rpcbind) answers at HOST:111 ... give HOST:PORT", which sent the user after the port.
   */
  @Test
  void anUnknownHostIsToldAsSuchWithoutAPort() {
    List<String[]> commands = List.of(
        new String[] {"call", "nosuchhost.invalid", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
            "-d", "{\"a\": 1, \"b\": 2}"},
        new String[] {"ping", "nosuchhost.invalid", "0x20000101"},
        new String[] {"ping", "nosuchhost.invalid", "org.onyxrpc.examples.calculator.Calculator"},
        new String[] {"list", "nosuchhost.invalid"});
    for (String[] command : commands) {
      CommandRun r = onyx(command);
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.out().contains("\"message\" : \"cannot reach tcp nosuchhost.invalid:111 to call "), r.toString());
      assertTrue(r.out().contains("): unknown host nosuchhost.invalid\""), r.toString());
      assertFalse(r.out().contains("no directory"), r.toString());
      assertFalse(r.out().contains("\"cause\""), r.toString()); // told once, in the message
    }
  }

  /** The same for ping, by number and by name. */
  @Test
  void aPingWithoutAPortAndNoDirectorySaysWhatToGive() throws Exception {
    int port = closedPort();
    CommandRun byNumber = onyx("ping", "127.0.0.1", "0x20000101", "--rpcbind-port", String.valueOf(port));
    assertEquals(4, byNumber.exit(), byNumber.toString());
    assertTrue(byNumber.out().contains("\"message\" : \"no directory (or rpcbind) answers at 127.0.0.1:" + port
        + " to list the versions of program 0x20000101: give HOST:PORT"), byNumber.toString());
    CommandRun byName = onyx("ping", "127.0.0.1", "org.onyxrpc.examples.calculator.Calculator", "--rpcbind-port",
        String.valueOf(port));
    assertEquals(4, byName.exit(), byName.toString());
    assertTrue(byName.out().contains("\"message\" : \"no directory (or rpcbind) answers at 127.0.0.1:" + port
        + " to find org.onyxrpc.examples.calculator.Calculator: give HOST:PORT"), byName.toString());
  }

  /**
   * call and ping given the directory's port where the server's belongs (as onyx list takes it):
   * say that it is a directory and what to give, not only "not available on the server"; a server
   * that lacks the program is still told as before.
   */
  @Test
  void theDirectorysPortGivenToCallOrPingSaysItIsADirectory() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start()) {
      String at = "127.0.0.1:" + directory.port();
      String expected = "\"message\" : \"" + at + " is a directory (or rpcbind), not a server of program"
          + " 0x20000101: give 127.0.0.1 --rpcbind-port " + directory.port() + " to reach the program where it says"
          + " (program 0x20000101 not available on server tcp " + at + " (calling ";
      CommandRun call = onyx("call", at, "Calculator.add", "--idl", "src/test/idl/calculator.idl", "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, call.exit(), call.toString());
      assertTrue(call.out().contains(expected + "Calculator.add))\""), call.toString());
      CommandRun ping = onyx("ping", at, "0x20000101");
      assertEquals(4, ping.exit(), ping.toString());
      assertTrue(ping.out().contains(expected + "NULL))\""), ping.toString());
      // Before, mq list said only "program 0x20000500 not available on server tcp 127.0.0.1:PORT".
      CommandRun mq = onyx("mq", "list", at);
      assertEquals(4, mq.exit(), mq.toString());
      assertTrue(mq.out().contains("\"message\" : \"" + at + " is a directory (or rpcbind), not a server of"
          + " program 0x20000500: give 127.0.0.1 --rpcbind-port " + directory.port() + " to reach the program"
          + " where it says (program 0x20000500 not available on server tcp " + at
          + " (calling MessageQueueService.list))\""), mq.toString());
    }
    try (RpcServer other = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(ServiceDefinition.builder(0x20000999, 1).build()).build().start()) {
      CommandRun call = onyx("call", "127.0.0.1:" + other.port(), "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, call.exit(), call.toString());
      assertTrue(call.out().contains("\"message\" : \"program 0x20000101 not available on server tcp 127.0.0.1:"
          + other.port() + " (calling Calculator.add)\""), call.toString());
    }
  }

  /**
   * onyx mq list given a server that has no queue service: say that no queue server is there and
   * what to give, not only "program 0x20000500 not available" (a number a user of onyx mq never
   * saw).
   */
  @Test
  void mqListAtAServerWithoutQueuesSaysNoQueueServerIsThere() throws Exception {
    try (RpcServer other = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(ServiceDefinition.builder(0x20000999, 1).build()).build().start()) {
      String at = "127.0.0.1:" + other.port();
      CommandRun mq = onyx("mq", "list", at);
      assertEquals(4, mq.exit(), mq.toString());
      assertTrue(mq.out().contains("\"error\" : \"PROG_UNAVAIL\""), mq.toString());
      assertTrue(mq.out().contains("\"message\" : \"no queue server (onyx mq) at " + at + ": the server there does not"
          + " serve program 0x20000500; give the port onyx mq printed ('onyx mq on port N'), or the host alone to"
          + " ask its directory where the queue service listens (program 0x20000500 not available on server tcp "
          + at + " (calling MessageQueueService.list))\""), mq.toString());
    }
  }

  /**
   * The IDL has gained a version 2 that keeps add; the server still serves version 1 only. onyx
   * call chooses the highest version with add, so the server answers PROG_MISMATCH: say which
   * option calls the server's version (before: only "server has version 1 only"). Not when the
   * version was asked for, nor when the server's versions lack the procedure.
   */
  @Test
  void aProgMismatchWhereAnOlderVersionHasTheProcedureSaysHowToCallIt(@TempDir Path dir) throws Exception {
    Path idl = calculatorWithAVersion2(dir);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(ServiceDefinition.builder(0x20000101, 1).build()).build().start()) {
      String at = "127.0.0.1:" + server.port();
      CommandRun add = onyx("call", at, "Calculator.add", "--idl", idl.toString(), "-d", "{\"a\": 1, \"b\": 2}");
      assertEquals(4, add.exit(), add.toString());
      assertTrue(add.out().contains("\"message\" : \"program 0x20000101 version 2 not available: server tcp " + at + " has version"
          + " 1 only; onyx call chose version 2, the highest of the IDL with add: --program-version 1 calls the"
          + " server's\""), add.toString());
      assertTrue(add.out().contains("\"error\" : \"PROG_MISMATCH\""), add.toString());

      CommandRun asked = onyx("call", at, "Calculator.add", "--idl", idl.toString(), "-d", "{\"a\": 1, \"b\": 2}",
          "--program-version", "2");
      assertEquals(4, asked.exit(), asked.toString());
      assertFalse(asked.out().contains("--program-version"), asked.toString());

      CommandRun negate = onyx("call", at, "Calculator.negate", "--idl", idl.toString(), "-d", "{\"value\": 1}");
      assertEquals(4, negate.exit(), negate.toString());
      assertFalse(negate.out().contains("--program-version"), negate.toString());
    }
  }

  /**
   * The same, found through a directory: it has version 1 only, so the look-up of version 2 fails
   * (UNAVAILABLE, nothing sent). Before, the option was given only for a server called at its port.
   */
  @Test
  void aVersionTheDirectoryLacksWhereAnOlderOneHasTheProcedureSaysHowToCallIt(@TempDir Path dir) throws Exception {
    Path idl = calculatorWithAVersion2(dir);
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
            .directory(directory.directory()).addService(ServiceDefinition.builder(0x20000101, 1).build())
            .build().start()) {
      String port = Integer.toString(directory.port());
      CommandRun add = onyx("call", "127.0.0.1", "Calculator.add", "--idl", idl.toString(), "-d", "{\"a\": 1, \"b\": 2}",
          "--rpcbind-port", port);
      assertEquals(4, add.exit(), add.toString());
      assertTrue(add.out().contains("\"error\" : \"UNAVAILABLE\""), add.toString());
      assertTrue(add.out().contains("version 1 only of it over TCP; onyx call chose version 2, the highest of the IDL"
          + " with add: --program-version 1 calls the one registered\""), add.toString());

      CommandRun asked = onyx("call", "127.0.0.1", "Calculator.add", "--idl", idl.toString(), "-d",
          "{\"a\": 1, \"b\": 2}", "--rpcbind-port", port, "--program-version", "2");
      assertEquals(4, asked.exit(), asked.toString());
      assertFalse(asked.out().contains("--program-version"), asked.toString());

      CommandRun negate = onyx("call", "127.0.0.1", "Calculator.negate", "--idl", idl.toString(), "-d", "{\"value\": 1}",
          "--rpcbind-port", port);
      assertEquals(4, negate.exit(), negate.toString());
      assertFalse(negate.out().contains("--program-version"), negate.toString());
    }
  }

  /** list and watch given a server's port, not the directory's: say so, and what to give. */
  @Test
  void aServersPortGivenToListOrWatchSaysItIsNoDirectory() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none()).addService(ServiceDefinition.builder(0x20000101, 1).build()).build().start()) {
      String at = "127.0.0.1:" + server.port();
      String told = "\"message\" : \"" + at + " answers, but is not a directory or rpcbind (it has no program"
          + " 100000): give the directory's HOST:PORT (rpcbind's port is 111; onyx directory prints its own)\"";
      CommandRun list = onyx("list", at);
      assertEquals(4, list.exit(), list.toString());
      assertTrue(list.out().contains(told), list.toString());
      CommandRun watch = onyx("watch", at, "--count", "1");
      assertEquals(4, watch.exit(), watch.toString());
      assertTrue(watch.out().contains(told), watch.toString());
    }
  }

  /**
   * list and watch where nothing listens (no rpcbind on 111, a directory on another port): say
   * that no directory answers there, and what to give, as call and ping do.
   */
  @Test
  void listOrWatchWhereNoDirectoryRunsSaysWhatToGive() throws Exception {
    int closed = closedPort();
    String told = "\"message\" : \"no directory (or rpcbind) answers at 127.0.0.1:" + closed + ": give the"
        + " HOST:PORT of one that runs (rpcbind's port is 111; onyx directory prints its own) (nothing listens at tcp"
        + " 127.0.0.1:" + closed + " to call RPCBPROC_DUMP";
    for (String[] args : List.of(new String[] {"list", "127.0.0.1:" + closed},
        new String[] {"list", "127.0.0.1", "--rpcbind-port", "" + closed},
        new String[] {"watch", "127.0.0.1:" + closed, "--count", "1"})) {
      CommandRun r = onyx(args);
      assertEquals(4, r.exit(), r.toString());
      assertTrue(r.out().contains(told), r.toString());
    }
  }

  /** A loopback port where nothing listens (bound, then closed). */
  private static int closedPort() throws IOException {
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return closed.getLocalPort();
    }
  }

  /** An IDL whose version 2 keeps version 1's add and adds negate. */
  private static Path calculatorWithAVersion2(Path dir) throws IOException {
    Path idl = dir.resolve("calculator.idl");
    Files.writeString(idl, "@program(0x20000101)\nservice Calculator {\n"
        + "  version 1 { hyper add(hyper a, hyper b) = 1; }\n"
        + "  version 2 { hyper add(hyper a, hyper b) = 1; hyper negate(hyper value) = 2; }\n}\n");
    return idl;
  }
}
