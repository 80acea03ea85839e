package org.onyxrpc.examples.javafirst;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.onyxrpc.examples.javafirst.InventoryV1.Inventory;
import org.onyxrpc.server.RpcServer;

/**
 * The implementation, written as for the Java interface in {@code src/main/java-first}: only
 * the import of {@code InventoryV1.Inventory}, the generated interface, tells them apart.
 */
public final class InventoryServer implements Inventory {
  private final Map<String, Part> parts = new TreeMap<>();

  public InventoryServer() {
    put(new Part("M4-10", "M4 screw, 10 mm", Kind.SCREW, 500, null));
    put(new Part("G-32", "gear, 32 teeth", Kind.GEAR, 4, "brass"));
    put(new Part("S-7", "compression spring", Kind.SPRING, 0, null));
  }

  private void put(Part part) {
    parts.put(part.id(), part);
  }

  @Override
  public synchronized Part part(String id) throws NoSuchPart {
    Part part = parts.get(id);
    if (part == null) {
      throw new NoSuchPart(id);
    }
    return part;
  }

  @Override
  public synchronized List<Part> parts(Kind kind) {
    return parts.values().stream().filter(p -> p.kind() == kind).toList();
  }

  @Override
  public synchronized Reservation reserve(String id, int count) throws NoSuchPart {
    Part part = part(id);
    if (part.stock() < count) {
      return new Reservation.Backordered(14);
    }
    put(new Part(part.id(), part.name(), part.kind(), part.stock() - count, part.note()));
    return new Reservation.Reserved(part.stock() - count);
  }

  /** Serves the inventory on {@code port} of the loopback address (0: a free port). */
  public static RpcServer start(int port) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .addService(InventoryV1.bind(new InventoryServer()))
        .build()
        .start();
  }
}
