package org.onyxrpc.examples.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * Starts a calculator server on a free loopback port, calls it over TCP and UDP, sync and async,
 * shows a remote failure, and shuts down: everything on the embedded defaults.
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("QuickStart", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    run(System.out);
  }

  /** The demo, printing to {@code out}; the examples' test checks its output. */
  public static void run(PrintStream out) throws IOException {
    ServiceDefinition calculator = ServiceDefinition.builder(Calculator.PROGRAM, Calculator.VERSION)
        .procedure(Calculator.ADD, (o, ctx) -> o.a() + o.b())
        .procedure(Calculator.DIVIDE, (o, ctx) -> o.a() / o.b())
        .procedure(Calculator.DESCRIBE, (v, ctx) -> v % 2 == 0 ? v + " is even" : v + " is odd")
        .build();

    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .addService(calculator)
        .build()
        .start()) {
      out.println("server: program 0x20000101 version 1 on TCP and UDP");

      try (RpcClient tcp = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
        tcp.ping(Calculator.PROGRAM, Calculator.VERSION);
        out.println("tcp: NULL ping answered");
        out.println("tcp: add(2, 40) = " + tcp.call(Calculator.ADD, new Calculator.Operands(2, 40)));
        CompletableFuture<String> later = tcp.callAsync(Calculator.DESCRIBE, 7L);
        out.println("tcp: describe(7) = " + later.join());
        try {
          tcp.call(Calculator.DIVIDE, new Calculator.Operands(1, 0));
        } catch (RpcException e) {
          // The message names the server, its port a free one: the status is what the caller acts on.
          out.println("tcp: divide(1, 0) failed: " + e.status() + ", so it may have run");
        }
      }
      try (RpcClient udp = RpcClient.builder().address("127.0.0.1", server.port())
          .transport(Transport.UDP).build()) {
        out.println("udp: add(-5, 3) = " + udp.call(Calculator.ADD, new Calculator.Operands(-5, 3)));
      }
    }
    out.println("server: shut down");
  }
}
