package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.example.e2e.shapes.Color;
import org.example.e2e.shapes.Point;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/** Compiled with the generated code by EndToEndTest: every type through a real server on loopback. */
public final class Scenario implements Callable<String> {
  static final int LONG_LIST = 100_000;

  /** The service, implemented plainly. */
  static final class Impl implements EchoV1.Echo {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    int nothings;

    @Override public Scalars scalars(Scalars value) { return value; }
    @Override public Bags bags(Bags value) { return value; }
    @Override public Node reverse(Node head) {
      Node reversed = null;
      for (Node n = head; n != null; n = n.next()) {
        reversed = new Node(n.value(), reversed);
      }
      return reversed;
    }
    @Override public Shape shape(Shape value) { return value; }
    @Override public Lookup lookup(Lookup value) { return value; }
    @Override public Toggle toggle(Toggle value) { return value; }
    @Override public List<String> words(List<String> value) { return value; }
    @Override public long add(long a, long b, int c) { return a + b + c; }
    @Override public void nothing() { nothings++; }
    @Override public String find(String key) throws NotFound, Invalid {
      switch (key) {
        case "missing": throw new NotFound("no such key", key);
        case "bad": throw new Invalid(7, new Point(1, 2));
        case "boom": throw new IllegalStateException("undeclared");
        default: return "value of " + key;
      }
    }
    @Override public void check(int code) throws Invalid {
      if (code != 0) {
        throw new Invalid(code, new Point(0, 0));
      }
    }
    @Override public void record_(String line) { lines.add(line); }
    @Override public String recorded() {
      // One-way calls run on the server's executor, in no promised order.
      return String.join(",", lines.stream().sorted().toList());
    }
    @Override public int count(Node head) {
      int count = 0;
      for (Node n = head; n != null; n = n.next()) {
        count++;
      }
      return count;
    }
  }

  /** The same service through the async interface, declared exceptions as failed futures. */
  static final class AsyncImpl implements EchoV1.AsyncEcho {
    final Impl impl = new Impl();

    @Override public CompletableFuture<Scalars> scalars(Scalars value) { return done(value); }
    @Override public CompletableFuture<Bags> bags(Bags value) { return done(value); }
    @Override public CompletableFuture<Node> reverse(Node head) { return done(impl.reverse(head)); }
    @Override public CompletableFuture<Shape> shape(Shape value) { return done(value); }
    @Override public CompletableFuture<Lookup> lookup(Lookup value) { return done(value); }
    @Override public CompletableFuture<Toggle> toggle(Toggle value) { return done(value); }
    @Override public CompletableFuture<List<String>> words(List<String> value) { return done(value); }
    @Override public CompletableFuture<Long> add(long a, long b, int c) { return done(a + b + c); }
    @Override public CompletableFuture<Void> nothing() { return done(null); }
    @Override public CompletableFuture<String> find(String key) {
      return key.equals("missing")
          ? CompletableFuture.supplyAsync(() -> "later").thenCompose(x ->
              CompletableFuture.failedFuture(new NotFound("async miss", key)))
          : done("async " + key);
    }
    @Override public CompletableFuture<Void> check(int code) {
      return code == 0 ? done(null) : CompletableFuture.failedFuture(new Invalid(code, new Point(3, 4)));
    }
    @Override public CompletableFuture<Void> record_(String line) { impl.record_(line); return done(null); }
    @Override public CompletableFuture<String> recorded() { return done(impl.recorded()); }
    @Override public CompletableFuture<Integer> count(Node head) { return done(impl.count(head)); }

    private static <T> CompletableFuture<T> done(T value) {
      return CompletableFuture.completedFuture(value);
    }
  }

  @Override
  public String call() throws Exception {
    assertEquals(CallSemantics.AT_LEAST_ONCE, EchoV1.SCALARS.semantics());
    assertEquals(CallSemantics.MAYBE, EchoV1.RECORD.semantics());
    assertEquals(CallSemantics.AT_MOST_ONCE, EchoV1.FIND.semantics());
    localCodecs();
    Impl impl = new Impl();
    try (RpcServer server = RpcServer.builder().port(0)
            .addService(EchoV1.bind(impl))
            .addService(EchoV2.bind(name -> "hello " + name))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      syncCalls(EchoV1.newClient(client), impl);
      asyncCalls(EchoV1.newAsyncClient(client));
      assertEquals("hello onyx", EchoV2.newClient(client).hello("onyx"));
    }
    try (RpcServer server = RpcServer.builder().port(0)
            .addService(EchoV1.bindAsync(new AsyncImpl())).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      EchoV1.Echo echo = EchoV1.newClient(client);
      assertEquals("async k", echo.find("k"));
      NotFound miss = assertThrows(NotFound.class, () -> echo.find("missing"));
      assertEquals("async miss", miss.message());
      Invalid invalid = assertThrows(Invalid.class, () -> echo.check(9));
      assertEquals(new Point(3, 4), invalid.where());
      assertEquals(LONG_LIST, echo.count(longList()));
    }
    evolutionSafeServers();
    return "ok";
  }

  /** Servers written against fewer procedures: what they do not override answers PROC_UNAVAIL. */
  private static void evolutionSafeServers() throws Exception {
    EchoV1.EchoImplBase partial = new EchoV1.EchoImplBase() {
      @Override public long add(long a, long b, int c) { return a + b + c; }
    };
    EchoV1.AsyncEchoImplBase asyncPartial = new EchoV1.AsyncEchoImplBase() {
      @Override public CompletableFuture<Long> add(long a, long b, int c) {
        return CompletableFuture.completedFuture(a * b * c);
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).addService(EchoV1.bind(partial)).build().start();
        RpcServer asyncServer = RpcServer.builder().port(0).addService(EchoV1.bindAsync(asyncPartial))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build();
        RpcClient asyncClient = RpcClient.builder().address("localhost", asyncServer.port()).build()) {
      EchoV1.Echo echo = EchoV1.newClient(client);
      assertEquals(6, echo.add(1, 2, 3));
      RpcException unavailable = assertThrows(RpcException.class, () -> echo.words(List.of("a")));
      assertEquals(RpcStatus.PROC_UNAVAIL, unavailable.status());

      EchoV1.AsyncEcho async = EchoV1.newAsyncClient(asyncClient);
      assertEquals(6, async.add(1, 2, 3).get(10, TimeUnit.SECONDS));
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> async.find("k").get(10, TimeUnit.SECONDS));
      assertEquals(RpcStatus.PROC_UNAVAIL, assertInstanceOf(RpcException.class, failed.getCause()).status());
    }
  }

  static Node longList() {
    Node head = null;
    for (int i = LONG_LIST; i >= 1; i--) {
      head = new Node(i, head);
    }
    return head;
  }

  private static void localCodecs() {
    ByteBuf buf = Unpooled.buffer();
    try {
      Node.CODEC.encode(new XdrWriter(buf), longList());
      assertEquals(LONG_LIST * 8, buf.readableBytes());
      Node decoded = Node.CODEC.decode(new XdrReader(buf));
      int expected = 1;
      for (Node n = decoded; n != null; n = n.next()) {
        assertEquals(expected++, n.value());
      }
      assertEquals(LONG_LIST + 1, expected);
      assertEquals(0, buf.readableBytes());
    } finally {
      buf.release();
    }
    assertThrows(IllegalArgumentException.class, () -> new Lookup.Error(0, "arm 0 is Value"));
    assertThrows(IllegalArgumentException.class, () -> new Shape.Line(Color.RED, List.of()));
  }

  private static void syncCalls(EchoV1.Echo echo, Impl impl) throws Exception {
    Scalars scalars = new Scalars(Integer.MIN_VALUE, -1, Long.MIN_VALUE, -1L, 1.5f, -2.25, true,
        Color.BLUE);
    assertEquals(scalars, echo.scalars(scalars));

    Bags bags = new Bags("name", "free text ünïcode", new byte[] {1, 2, 3, 4, 5},
        new byte[] {9, 8, 7}, new int[] {1, -2, 3}, new long[] {Long.MAX_VALUE, 0, -1},
        new double[] {0.5}, new boolean[] {true, false}, new float[] {1f, 2f},
        List.of(new Point(1, 2), new Point(3, 4)), List.of(new Point(5, 6), new Point(7, 8)),
        null, 42, List.of(Color.RED, Color.GREEN));
    Bags back = echo.bags(bags);
    assertEquals(bags, back);
    assertEquals(bags.hashCode(), back.hashCode());
    assertEquals(bags.toString(), back.toString());
    assertEquals(bags.name(), back.name());
    assertEquals(bags.free(), back.free());
    assertArrayEquals(bags.fixed(), back.fixed());
    assertArrayEquals(bags.blob(), back.blob());
    assertArrayEquals(bags.ints(), back.ints());
    assertArrayEquals(bags.longs(), back.longs());
    assertArrayEquals(bags.doubles(), back.doubles());
    assertArrayEquals(bags.flags(), back.flags());
    assertArrayEquals(bags.floats(), back.floats());
    assertEquals(bags.points(), back.points());
    assertEquals(bags.corners(), back.corners());
    assertNull(back.maybe());
    assertEquals(42, back.maybeInt());
    assertEquals(bags.colors(), back.colors());
    Bags tooLong = new Bags("x".repeat(33), "", new byte[5], new byte[0], new int[0], new long[3],
        new double[0], new boolean[0], new float[2], List.of(), List.of(new Point(0, 0), new Point(0, 0)),
        new Point(1, 1), null, List.of());
    assertThrows(RuntimeException.class, () -> echo.bags(tooLong));

    Node reversed = echo.reverse(longList());
    int expected = LONG_LIST;
    for (Node n = reversed; n != null; n = n.next()) {
      assertEquals(expected--, n.value());
    }
    assertEquals(0, expected);
    assertNull(echo.reverse(null));
    assertEquals(LONG_LIST, echo.count(longList()));

    for (Shape shape : List.of(new Shape.Dot(new Point(1, 2)),
        new Shape.Line(Color.GREEN, List.of(new Point(0, 0), new Point(1, 1))),
        new Shape.Line(Color.BLUE, List.of(new Point(2, 2), new Point(3, 3))))) {
      assertEquals(shape, echo.shape(shape));
    }
    for (Lookup lookup : List.of(new Lookup.Value("v"), new Lookup.Case1(), new Lookup.Error(-5, "e"))) {
      assertEquals(lookup, echo.lookup(lookup));
      assertEquals(lookup.status(), echo.lookup(lookup).status());
    }
    assertEquals(new Toggle.Level(3), echo.toggle(new Toggle.Level(3)));
    assertEquals(new Toggle.False(), echo.toggle(new Toggle.False()));
    assertEquals(List.of("a", "b"), echo.words(List.of("a", "b")));
    assertEquals(6L, echo.add(1, 2, 3));
    echo.nothing();
    assertEquals(1, impl.nothings);

    assertEquals("value of k", echo.find("k"));
    NotFound notFound = assertThrows(NotFound.class, () -> echo.find("missing"));
    assertEquals("missing", notFound.key());
    assertEquals("no such key", notFound.getMessage());
    Invalid invalid = assertThrows(Invalid.class, () -> echo.find("bad"));
    assertEquals(7, invalid.code());
    assertEquals(new Point(1, 2), invalid.where());
    assertThrows(RpcException.class, () -> echo.find("boom"));
    echo.check(0);
    assertEquals(5, assertThrows(Invalid.class, () -> echo.check(5)).code());

    echo.record_("a");
    echo.record_("b");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!echo.recorded().equals("a,b") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("a,b", echo.recorded());
  }

  private static void asyncCalls(EchoV1.AsyncEcho echo) throws Exception {
    List<CompletableFuture<Long>> sums = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sums.add(echo.add(i, i, 1));
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(2L * i + 1, sums.get(i).get(10, TimeUnit.SECONDS));
    }
    assertEquals("value of x", echo.find("x").get(10, TimeUnit.SECONDS));
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> echo.find("missing").get(10, TimeUnit.SECONDS));
    assertInstanceOf(NotFound.class, failure.getCause());
    failure = assertThrows(ExecutionException.class, () -> echo.check(4).get(10, TimeUnit.SECONDS));
    assertEquals(4, assertInstanceOf(Invalid.class, failure.getCause()).code());
    assertTrue(echo.record_("c").get(10, TimeUnit.SECONDS) == null);
  }
}
