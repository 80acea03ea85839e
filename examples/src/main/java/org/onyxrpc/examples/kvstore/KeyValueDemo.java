package org.onyxrpc.examples.kvstore;

import java.io.IOException;
import java.io.PrintStream;
import org.onyxrpc.server.RpcServer;

/** Starts the key-value store on a free loopback port, runs the client against it, shuts down. */
public final class KeyValueDemo {
  private KeyValueDemo() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** The demo, printing to {@code out}; {@code KeyValueDemoTest} checks every line. */
  public static void run(PrintStream out) throws IOException {
    try (RpcServer server = KeyValueServer.start(0)) {
      out.printf("server: KeyValueStore versions 1 and 2 (program 0x%08x)%n", KeyValueStoreV2.PROGRAM);
      KeyValueClient.run("127.0.0.1", server.port(), out);
    }
    out.println("server: shut down");
  }
}
