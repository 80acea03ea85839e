package org.onyxrpc.examples.javafirst;

import java.io.IOException;
import java.io.PrintStream;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/**
 * Java-first: the service was written as Java ({@code src/main/java-first}), the build wrote its
 * {@code .idl} ({@code target/generated-idl}) and generated the stubs from that; this serves and
 * calls it over loopback.
 */
public final class InventoryDemo {
  private InventoryDemo() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("InventoryDemo", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    run(System.out);
  }

  /** The demo, printing to {@code out}. */
  public static void run(PrintStream out) throws IOException {
    try (RpcServer server = InventoryServer.start(0);
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      out.printf("server: Inventory version %d (program 0x%08x)%n", InventoryV1.VERSION,
          InventoryV1.PROGRAM);
      InventoryV1.Inventory inventory = InventoryV1.newClient(rpc);
      try {
        out.println("client: part(G-32) = " + inventory.part("G-32"));
        out.println("client: parts(SCREW) = " + inventory.parts(Kind.SCREW));
        out.println("client: reserve(M4-10, 20) = " + inventory.reserve("M4-10", 20));
        out.println("client: reserve(S-7, 1) = " + inventory.reserve("S-7", 1));
        inventory.part("X-1");
      } catch (NoSuchPart e) {
        out.println("client: part(X-1) threw NoSuchPart for " + e.id());
      }
    }
    out.println("server: shut down");
  }
}
