package org.onyxrpc.examples.calculator;

import java.io.IOException;
import java.io.PrintStream;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/**
 * The README's first command: starts the calculator server on a free loopback port, runs the
 * client against it and shuts down, all in one process on the embedded defaults.
 */
public final class CalculatorDemo {
  private CalculatorDemo() {}

  /**
   * Runs the demo and prints what happens; with {@code --transport udp|unix|in-process} or {@code
   * --at} (see {@link Endpoint}), over that transport alone.
   */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("CalculatorDemo", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    Endpoint where = Endpoint.ofDemo(args, "calculator");
    if (args.length == 0) {
      run(System.out);  // TCP and UDP, as the README shows it
    } else {
      run(where, System.out);
    }
  }

  /** The demo, printing to {@code out}; {@code CalculatorDemoTest} checks every line. */
  public static void run(PrintStream out) throws IOException {
    try (RpcServer server = CalculatorServer.start(0)) {
      out.printf("server: Calculator version %d (program 0x%08x) on TCP and UDP%n",
          CalculatorV1.VERSION, CalculatorV1.PROGRAM);
      CalculatorClient.run("127.0.0.1", server.port(), out);
    }
    out.println("server: shut down");
  }

  /** The demo over the transport {@code where} names, printing to {@code out}. */
  public static void run(Endpoint where, PrintStream out) throws IOException {
    try (RpcServer server = CalculatorServer.start(where)) {
      out.printf("server: Calculator version %d (program 0x%08x) on %s%n",
          CalculatorV1.VERSION, CalculatorV1.PROGRAM, where.transport());
      CalculatorClient.run(where.boundTo(server).client(), out);
    }
    out.println("server: shut down");
  }
}
