package org.onyxrpc.examples.calculator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.transport.Transport;

/**
 * The client side of the calculator: blocking and asynchronous calls through the stubs generated
 * from {@code calculator.idl}, over TCP and over UDP, or over the transport chosen by {@code
 * --transport}.
 */
public final class CalculatorClient {
  private CalculatorClient() {}

  /**
   * Calls the calculator at {@code host:port} over TCP, then once over UDP, and prints each call
   * and its answer to {@code out}.
   */
  public static void run(String host, int port, PrintStream out) {
    run(RpcClient.builder().address(host, port), out);
    try (RpcClient udp = RpcClient.builder().address(host, port).transport(Transport.UDP).build()) {
      out.println("client: over UDP, add(-5, 3) = " + CalculatorV1.newClient(udp).add(-5, 3));
    }
  }

  /** Calls the calculator that {@code server} reaches, over its transport, and prints as above. */
  public static void run(RpcClientBuilder server, PrintStream out) {
    // server: RpcClient.builder().address(host, port), or .unixSocket(path), or .inProcess(name)
    try (RpcClient rpc = server.build()) {
      rpc.ping(CalculatorV1.PROGRAM, CalculatorV1.VERSION);
      out.println("client: NULL ping answered");

      CalculatorV1.Calculator calculator = CalculatorV1.newClient(rpc);
      out.println("client: add(2, 40) = " + calculator.add(2, 40));
      out.println("client: parity(7) = " + calculator.parity(7));
      try {
        out.println("client: divide(7, 2) = " + calculator.divide(7, 2));
        calculator.divide(1, 0);
      } catch (DivideByZero e) {
        out.println("client: divide(1, 0) threw DivideByZero: " + e.message());
      }

      CalculatorV1.AsyncCalculator async = CalculatorV1.newAsyncClient(rpc);
      CompletableFuture<Long> sum = async.add(1, 2);
      CompletableFuture<Long> quotient = async.divide(9, 0);
      out.println("client: async add(1, 2) = " + sum.join());
      try {
        quotient.join();
      } catch (CompletionException e) {
        out.println("client: async divide(9, 0) failed with " + e.getCause().getClass().getSimpleName());
      }
    }
  }

  /**
   * Calls the calculator at localhost:4711, or at the host, port or both given as arguments; or, with
   * {@code --transport udp|unix [--at PORT|PATH]}, there (or at that host and port) over that
   * transport alone (see {@link Endpoint}).
   */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("CalculatorClient", () -> call(args));
  }

  static void call(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean chosen = rest.contains("--transport");
    Endpoint where = Endpoint.fromArgs(rest, "calculator", 4711);
    if (!chosen) {
      Endpoint at = Endpoint.calledAt(rest, 4711);
      run(at.host(), at.port(), System.out);
    } else {
      run(where.calling(rest).client(), System.out);
    }
  }
}
