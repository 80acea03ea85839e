package org.onyxrpc.examples.kvstore;

import java.io.IOException;
import java.io.PrintStream;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/** Starts the key-value store on a free loopback port, runs the client against it, shuts down. */
public final class KeyValueDemo {
  private KeyValueDemo() {}

  /** Runs the demo and prints what happens; {@code --transport X} chooses the transport ({@link Endpoint}). */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("KeyValueDemo", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    run(Endpoint.ofDemo(args, "kvstore"), System.out);
  }

  /** The demo, printing to {@code out}; {@code KeyValueDemoTest} checks every line. */
  public static void run(PrintStream out) throws IOException {
    run(Endpoint.tcp("localhost", 0), out);
  }

  /** The demo over the transport {@code where} names. */
  public static void run(Endpoint where, PrintStream out) throws IOException {
    try (RpcServer server = KeyValueServer.start(where)) {
      out.printf("server: KeyValueStore versions 1 and 2 (program 0x%08x)%n", KeyValueStoreV2.PROGRAM);
      KeyValueClient.run(where.boundTo(server).client(), out);
    }
    out.println("server: shut down");
  }
}
