package org.onyxrpc.examples.kvstore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/**
 * The server side of the key-value store: one in-memory map served as version 1 and version 2
 * of the same program, so old clients keep working while new ones use conditional writes and
 * listing. Implements the interfaces generated from {@code src/main/idl/kvstore.idl}.
 */
public final class KeyValueServer implements KeyValueStoreV1.KeyValueStore, KeyValueStoreV2.KeyValueStore {
  /** The most entries one {@code list} call returns. */
  static final int MAX_PAGE = 1000;

  private final NavigableMap<String, Versioned> entries = new TreeMap<>();

  @Override
  public synchronized Lookup get(String key) {
    Versioned value = entries.get(key);
    return value == null ? new Lookup.Missing() : new Lookup.Value(value);
  }

  /** Version 1: stores whatever was there before. */
  @Override
  public synchronized void put(String key, byte[] value) {
    entries.put(key, new Versioned(value, revision(key) + 1));
  }

  /** Version 2: stores only when the caller saw the current revision. */
  @Override
  public synchronized long put(String key, byte[] value, Long expected) throws VersionConflict {
    long current = revision(key);
    if (expected != null && expected != current) {
      throw new VersionConflict(key, expected, current);
    }
    entries.put(key, new Versioned(value, current + 1));
    return current + 1;
  }

  @Override
  public synchronized boolean remove(String key) {
    return entries.remove(key) != null;
  }

  @Override
  public synchronized Page list(String from, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      // The caller's mistake, not the server's: GARBAGE_ARGS, where any other exception is SYSTEM_ERR.
      throw new RpcException(RpcStatus.GARBAGE_ARGS, "limit must be 1.." + MAX_PAGE + ", not " + limit);
    }
    List<Entry> page = new ArrayList<>();
    String next = null;
    for (Map.Entry<String, Versioned> e : (from == null ? entries : entries.tailMap(from, true)).entrySet()) {
      if (page.size() == limit) {
        next = e.getKey();
        break;
      }
      page.add(new Entry(e.getKey(), e.getValue()));
    }
    return new Page(page, next);
  }

  private long revision(String key) {
    Versioned value = entries.get(key);
    return value == null ? 0 : value.revision();
  }

  /** Serves both versions on {@code port} of the loopback address (0: a free port), TCP and UDP. */
  public static RpcServer start(int port) throws IOException {
    return start(Endpoint.tcp("localhost", port));
  }

  /** Serves both versions where {@code where} says: TCP and UDP, a Unix-domain socket, in-process. */
  public static RpcServer start(Endpoint where) throws IOException {
    KeyValueServer store = new KeyValueServer();
    return where.listen(RpcServer.builder())
        .addService(KeyValueStoreV1.bind((KeyValueStoreV1.KeyValueStore) store))
        .addService(KeyValueStoreV2.bind((KeyValueStoreV2.KeyValueStore) store))
        .build()
        .start();
  }

  /**
   * Serves on port 4712 (or the first argument) until the process is stopped; or where {@code
   * --transport X [--at WHERE]} says ({@link Endpoint}).
   */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("KeyValueServer", () -> serve(args));
  }

  static void serve(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    Endpoint where = Endpoint.fromArgs(rest, "kvstore", 4712).servedAlone("KeyValueDemo");
    Endpoint.atMost(rest, 1, "[PORT]");
    if (!rest.isEmpty()) {
      where = where.atPort(Endpoint.port(rest.get(0)));
    }
    RpcServer server = start(where);
    // On SIGTERM (Ctrl-C, kill, systemctl stop): withdraw from the directory, finish the calls in
    // flight, close. (RpcServerBuilder.withdrawOnExit() does only the withdrawing.)
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("KeyValueStore versions 1 and 2 listening: " + where.listening(server)
        + "; Ctrl-C stops it");
    Thread.currentThread().join();
  }
}
