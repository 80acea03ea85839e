package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/**
 * What a newcomer meets when a run goes wrong: a mistyped flag, a client started before its
 * server, a port taken. One line and a status, no stack trace.
 */
class CalculatorMainTest {
  private record Run(int status, String err) {}

  private static Run run(String name, ExampleMain.Body body) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExampleMain.status(name, body, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMistypedTransportIsOneLine() throws Exception {
    Run r = run("CalculatorServer", () -> CalculatorServer.serve(new String[] {"--transport", "tcpp"}));
    assertEquals(new Run(2, "CalculatorServer: --transport must be tcp, udp, unix or in-process: tcpp\n"), r);
  }

  /** Before, the demo ran its default TCP and UDP run, exit 0, for a misspelt flag. */
  @Test
  void aDemoGivenAnArgumentItDoesNotTakeSaysWhatItTakes() throws Exception {
    Run r = run("CalculatorDemo", () -> CalculatorDemo.demo(new String[] {"--transprot", "udp"}));
    assertEquals(new Run(2, "CalculatorDemo: expected only --transport tcp|udp|unix|in-process and --at"
        + " PORT|PATH|NAME, got --transprot udp\n"), r);
  }

  /** Before, --at without --transport was left unread: the demo served on a free port. */
  @Test
  void aDemoGivenAPortAloneListensThere() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Run r;
    try {
      // The port is taken by a server of this test's: the demo must fail to listen there.
      try (RpcServer taken = CalculatorServer.start(0)) {
        r = run("CalculatorDemo", () -> CalculatorDemo.demo(new String[] {"--at", String.valueOf(taken.port())}));
      }
    } finally {
      System.setOut(stdout);
    }
    assertEquals(1, r.status(), r.err() + out);
    assertTrue(r.err().startsWith("CalculatorDemo: cannot listen on "), r.err());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // without the check, serve() would serve on
  void aServerGivenTooManyArgumentsSaysWhatItTakes() throws Exception {
    Run r = run("CalculatorServer", () -> CalculatorServer.serve(new String[] {"0", "localhost:1111", "extra"}));
    assertEquals(new Run(2, "CalculatorServer: expected [PORT] [DIRECTORY_HOST:PORT], got 0 localhost:1111 extra\n"), r);
  }

  @Test
  void aPortThatIsNotANumberIsOneLine() throws Exception {
    Run r = run("CalculatorClient", () -> CalculatorClient.call(new String[] {"localhost", "47x1"}));
    assertEquals(new Run(2, "CalculatorClient: not a port (0..65535): 47x1\n"), r);
  }

  @Test
  void aClientWithoutItsServerSaysItCannotReachIt() throws Exception {
    int port;
    try (RpcServer gone = CalculatorServer.start(0)) {
      port = gone.port();
    }
    Run r = run("CalculatorClient", () -> CalculatorClient.call(new String[] {"127.0.0.1", String.valueOf(port)}));
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("CalculatorClient: UNAVAILABLE: nothing listens at tcp 127.0.0.1:" + port), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void ioThreadsThatCannotStartAreOneLine() throws Exception {
    // As NettyTransports says it under a low ulimit -n (DescriptorLimitTest): before, a stack trace.
    Run r = run("CalculatorDemo", () -> {
      String message = "cannot start 128 I/O threads (onyx-server-io): Too many open files";
      throw new java.io.UncheckedIOException(message, new java.io.IOException(message));
    });
    assertEquals(new Run(1, "CalculatorDemo: cannot start 128 I/O threads (onyx-server-io): Too many open files\n"), r);
  }

  @Test
  void aClientGivenAPortAloneCallsThatPortOfLocalhost() throws Exception {
    try (RpcServer server = CalculatorServer.start(0)) {
      assertAnswered(String.valueOf(server.port()));
    }
  }

  @Test
  void aClientGivenATransportStillCallsTheHostAndPortItIsGiven() throws Exception {
    // Before, --transport made the client call localhost:4711 whatever host and port it was given.
    try (RpcServer server = CalculatorServer.start(0)) {
      assertAnswered("127.0.0.1", String.valueOf(server.port()), "--transport", "udp");
    }
  }

  /** Runs the client with {@code args}: it exits 0 and prints the server's answers. */
  private static void assertAnswered(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Run r;
    try {
      r = run("CalculatorClient", () -> CalculatorClient.call(args));
    } finally {
      System.setOut(stdout);
    }
    assertEquals(new Run(0, ""), r);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("client: add(2, 40) = 42"), printed);
  }

  @Test
  void aPortForAUnixSocketClientIsRefusedRatherThanIgnored() throws Exception {
    Run r = run("CalculatorClient", () -> CalculatorClient.call(new String[] {"4799", "--transport", "unix"}));
    assertEquals(new Run(2, "CalculatorClient: the socket is given with --at, not as 4799\n"), r);
  }

  @Test
  void aClientGivenTooManyArgumentsSaysWhatItTakes() throws Exception {
    Run r = run("CalculatorClient", () -> CalculatorClient.call(new String[] {"localhost", "4711", "extra"}));
    assertEquals(new Run(2, "CalculatorClient: expected [HOST] [PORT], got localhost 4711 extra\n"), r);
  }

  @Test
  void aPortInUseIsOneLine() throws Exception {
    try (RpcServer first = CalculatorServer.start(0)) {
      Run r = run("CalculatorServer", () -> CalculatorServer.serve(new String[] {String.valueOf(first.port())}));
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().startsWith("CalculatorServer: cannot listen on "), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
  }
}
