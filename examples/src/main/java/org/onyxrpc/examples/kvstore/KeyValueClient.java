package org.onyxrpc.examples.kvstore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.rpc.RpcException;

/**
 * The client side of the key-value store: a version 2 client using conditional writes, optional
 * values, a union result and paged listing, and a version 1 client on the same server.
 */
public final class KeyValueClient {
  private KeyValueClient() {}

  /** Talks to the store at {@code host:port} and prints each call and its answer to {@code out}. */
  public static void run(String host, int port, PrintStream out) {
    run(RpcClient.builder().address(host, port), out);
  }

  /** Talks to the store that {@code server} reaches, over its transport, and prints as above. */
  public static void run(RpcClientBuilder server, PrintStream out) {
    try (RpcClient rpc = server.build()) {
      KeyValueStoreV2.KeyValueStore store = KeyValueStoreV2.newClient(rpc);
      KeyValueStoreV1.KeyValueStore old = KeyValueStoreV1.newClient(rpc);
      try {
        out.println("v2: put(color, blue, expected 0) = revision " + store.put("color", bytes("blue"), 0L));
        out.println("v2: put(color, green, expected 1) = revision " + store.put("color", bytes("green"), 1L));
        store.put("color", bytes("red"), 1L);
      } catch (VersionConflict e) {
        out.println("v2: put(color, red, expected 1) threw VersionConflict: " + e.key()
            + " is at revision " + e.actual() + ", not " + e.expected());
      }
      out.println("v2: get(color) = " + show(store.get("color")));
      out.println("v2: get(shape) = " + show(store.get("shape")));

      for (String fruit : new String[] {"apple", "banana", "cherry"}) {
        old.put("fruit/" + fruit, bytes(fruit.toUpperCase()));
      }
      out.println("v1: put(fruit/apple, fruit/banana, fruit/cherry) with no revision check");
      out.println("v1: get(fruit/banana) = " + show(old.get("fruit/banana")));

      String from = null;
      do {
        Page page = store.list(from, 2);
        out.println("v2: list(from " + (from == null ? "start" : from) + ", 2) = "
            + page.entries().stream().map(Entry::key).collect(Collectors.joining(", ", "[", "]"))
            + (page.next() == null ? ", at the end" : ", next " + page.next()));
        from = page.next();
      } while (from != null);

      out.println("v1: remove(color) = " + old.remove("color"));
      try {
        rpc.ping(KeyValueStoreV2.PROGRAM, 3);
      } catch (RpcException e) {
        // low() and high() are the versions the server has; the message names the server too.
        out.println("v3: " + e.status() + ": the server has versions " + e.low() + ".." + e.high());
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The union as text: which arm, and the value's text and revision. */
  static String show(Lookup lookup) {
    if (lookup instanceof Lookup.Value found) {
      return new String(found.value().value(), StandardCharsets.UTF_8) + " (revision " + found.value().revision() + ")";
    }
    return "missing";
  }

  /**
   * Talks to the store at localhost:4712, or at the host, port or both given as arguments; or where
   * {@code --transport X [--at WHERE]} says ({@link Endpoint}).
   */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("KeyValueClient", () -> call(args));
  }

  static void call(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.contains("--transport")) {
      run(Endpoint.fromArgs(rest, "kvstore", 4712).calling(rest).client(), System.out);
    } else {
      Endpoint at = Endpoint.calledAt(rest, 4712);
      run(at.host(), at.port(), System.out);
    }
  }
}
