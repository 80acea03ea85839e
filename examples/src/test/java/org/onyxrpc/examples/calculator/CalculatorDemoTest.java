package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.server.RpcServer;

/** Runs the calculator over loopback and keeps the output the README shows honest. */
class CalculatorDemoTest {
  /** Exactly what the README's first command prints. */
  static final String README_OUTPUT = """
      server: Calculator version 1 (program 0x20000101) on TCP and UDP
      client: NULL ping answered
      client: add(2, 40) = 42
      client: parity(7) = ODD
      client: divide(7, 2) = 3
      client: divide(1, 0) threw DivideByZero: cannot divide 1 by zero
      client: async add(1, 2) = 3
      client: async divide(9, 0) failed with DivideByZero
      client: over UDP, add(-5, 3) = -2
      server: shut down
      """;

  @Test
  void printsWhatTheReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CalculatorDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(README_OUTPUT, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The same calls over each other transport, as {@code CalculatorDemo --transport X} makes them. */
  @ParameterizedTest
  @ValueSource(strings = {"udp", "unix", "in-process"})
  void runsOverTheTransportTheFlagChooses(String transport) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("--transport", transport));
    Endpoint where = Endpoint.fromArgs(args, "calculator-test", 0);
    assertEquals(List.of(), args, "the flags are taken");
    CalculatorDemo.run(where, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String expected = README_OUTPUT
        .replace("on TCP and UDP", "on " + where.transport())
        .replace("client: over UDP, add(-5, 3) = -2\n", "");
    assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void declaredExceptionCarriesItsFieldsAcrossTheWire() throws Exception {
    // In-process: no socket, yet every argument and the exception are marshalled as on the wire.
    Endpoint where = Endpoint.inProcess("calculator-exceptions");
    try (RpcServer server = CalculatorServer.start(where);
        RpcClient rpc = where.client().build()) {
      CalculatorV1.Calculator calculator = CalculatorV1.newClient(rpc);
      DivideByZero thrown = assertThrows(DivideByZero.class, () -> calculator.divide(-3, 0));
      assertEquals("cannot divide -3 by zero", thrown.message());
      assertEquals(Parity.EVEN, calculator.parity(-4));
      assertEquals(Long.MIN_VALUE, calculator.add(Long.MAX_VALUE, 1));
    }
  }
}
