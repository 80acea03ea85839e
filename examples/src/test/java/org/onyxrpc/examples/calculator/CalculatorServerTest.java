package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/**
 * The tests a user writes for a service of their own (the README's "Testing your service"): the
 * implementation called as a plain object, then through a client in the same JVM, in-process and
 * over a free loopback port, one server each for the whole class.
 */
class CalculatorServerTest {
  private static RpcServer inProcess;
  private static RpcServer overTcp;

  @BeforeAll
  static void startServers() throws Exception {
    // A name of the test's own: in-process names are the JVM's, shared by every test in it.
    inProcess = RpcServer.builder().inProcess("calculator-server-test")
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build().start();
    overTcp = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0) // 0: a free port
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build().start();
  }

  @AfterAll
  static void closeServers() {
    inProcess.close();
    overTcp.close();
  }

  @Test
  void theImplementationIsAPlainObject() throws Exception {
    CalculatorServer calculator = new CalculatorServer();
    assertEquals(42, calculator.add(2, 40));
    assertThrows(DivideByZero.class, () -> calculator.divide(1, 0));
  }

  @Test
  void inProcessEveryValueCrossesAsOnTheWire() throws Exception {
    try (RpcClient rpc = RpcClient.builder().inProcess("calculator-server-test").build()) {
      CalculatorV1.Calculator calculator = CalculatorV1.newClient(rpc);
      assertEquals(Parity.ODD, calculator.parity(7));
      DivideByZero e = assertThrows(DivideByZero.class, () -> calculator.divide(1, 0));
      assertEquals("cannot divide 1 by zero", e.message());
    }
  }

  @Test
  void overALoopbackPort() {
    try (RpcClient rpc = RpcClient.builder().address("127.0.0.1", overTcp.port()).build()) {
      assertEquals(-2, CalculatorV1.newClient(rpc).add(-5, 3));
    }
  }

  @Test
  void aProcedureTheServerLacksIsProcUnavail() throws Exception {
    try (RpcServer partial = RpcServer.builder().inProcess("calculator-server-test-partial")
            .addService(CalculatorV1.bind(new CalculatorV1.CalculatorImplBase() {}))
            .build().start();
        RpcClient rpc = RpcClient.builder().inProcess(partial.inProcessName().orElseThrow()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> CalculatorV1.newClient(rpc).add(1, 2));
      assertEquals(RpcStatus.PROC_UNAVAIL, e.status());
    }
  }
}
