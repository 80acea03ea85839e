package org.onyxrpc.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/** A small hand-written program used by the runtime's end-to-end tests. */
public final class TestService {
  public static final int PROGRAM = 0x20000101;

  /** Two ints in, one out: the shape of a typical small call. */
  public record Pair(int a, int b) {
    public static final XdrCodec<Pair> CODEC = XdrCodecs.of(
        (out, p) -> { out.writeInt(p.a()); out.writeInt(p.b()); },
        in -> new Pair(in.readInt(), in.readInt()));
  }

  public static final Procedure<Pair, Integer> ADD =
      new Procedure<>(PROGRAM, 1, 1, "Test.add", Pair.CODEC, XdrCodecs.INT);
  public static final Procedure<String, String> ECHO =
      new Procedure<>(PROGRAM, 1, 2, "Test.echo", XdrCodecs.STRING, XdrCodecs.STRING);
  public static final Procedure<Integer, Integer> SLEEP =
      new Procedure<>(PROGRAM, 1, 3, "Test.sleep", XdrCodecs.INT, XdrCodecs.INT);
  public static final Procedure<Void, Void> FAIL =
      new Procedure<>(PROGRAM, 1, 4, "Test.fail", XdrCodecs.VOID, XdrCodecs.VOID);
  public static final Procedure<Void, Void> TOO_WEAK =
      new Procedure<>(PROGRAM, 1, 5, "Test.tooWeak", XdrCodecs.VOID, XdrCodecs.VOID);
  public static final Procedure<Integer, Integer> DELAYED =
      new Procedure<>(PROGRAM, 1, 6, "Test.delayed", XdrCodecs.INT, XdrCodecs.INT);
  public static final Procedure<byte[], byte[]> BLOB =
      new Procedure<>(PROGRAM, 1, 7, "Test.blob", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  public static final Procedure<String, Void> LOG =
      new Procedure<>(PROGRAM, 1, 8, "Test.log", XdrCodecs.STRING, XdrCodecs.VOID);
  public static final Procedure<Void, String> WHO =
      new Procedure<>(PROGRAM, 1, 9, "Test.who", XdrCodecs.VOID, XdrCodecs.STRING);
  /** Waits for {@link #gate}, then answers its argument. */
  public static final Procedure<Integer, Integer> HOLD =
      new Procedure<>(PROGRAM, 1, 10, "Test.hold", XdrCodecs.INT, XdrCodecs.INT);
  /**
   * The bytes of an untagged {@link #HOLD} call (AUTH_NONE) with {@code xid} and argument {@code
   * n}, for raw peers that send calls themselves.
   */
  public static byte[] rawHold(int xid, int n) {
    return RawTcpPeer.call(xid, 2, PROGRAM, 1, HOLD.number(), org.onyxrpc.rpc.OpaqueAuth.NONE,
        java.nio.ByteBuffer.allocate(4).putInt(n).array());
  }

  /** A procedure the server does not have. */
  public static final Procedure<Void, Void> MISSING =
      new Procedure<>(PROGRAM, 1, 99, "Test.missing", XdrCodecs.VOID, XdrCodecs.VOID);

  /** Released by tests to let {@link #HOLD} calls finish. */
  public final CountDownLatch gate = new CountDownLatch(1);
  /** {@link #HOLD} calls that have started (and wait for {@link #gate}, until it opens). */
  public final java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
  public final java.util.Queue<String> logged = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** One permit per line {@link #LOG}ged, for a test to wait on. */
  public final java.util.concurrent.Semaphore loggedLines = new java.util.concurrent.Semaphore(0);

  public ServiceDefinition definition() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(ADD, (p, ctx) -> p.a() + p.b())
        .procedure(ECHO, (s, ctx) -> s)
        .procedure(SLEEP, (millis, ctx) -> {
          Thread.sleep(millis); // a slow procedure, as the caller asks: not a wait
          return millis;
        })
        .procedure(FAIL, (v, ctx) -> {
          throw new IllegalStateException("boom");
        })
        .procedure(TOO_WEAK, (v, ctx) -> {
          throw RpcException.authError(org.onyxrpc.rpc.AuthStatus.AUTH_TOOWEAK, "needs AUTH_SYS");
        })
        .asyncProcedure(DELAYED, (n, ctx) -> CompletableFuture.supplyAsync(() -> n * 2,
            CompletableFuture.delayedExecutor(n, java.util.concurrent.TimeUnit.MILLISECONDS)))
        .procedure(BLOB, (b, ctx) -> b)
        .oneway(LOG, (line, ctx) -> {
          logged.add(line);
          loggedLines.release();
          return null;
        })
        .procedure(WHO, (v, ctx) -> ctx.credentials().toString())
        .procedure(HOLD, (n, ctx) -> {
          holding.incrementAndGet();
          gate.await();
          return n;
        })
        .build();
  }

  /** Version 2 of the same program, for PROG_MISMATCH. */
  public static ServiceDefinition version2() {
    return ServiceDefinition.builder(PROGRAM, 2)
        .procedure(new Procedure<>(PROGRAM, 2, 1, "Test2.add", Pair.CODEC, XdrCodecs.INT),
            (p, ctx) -> p.a() + p.b())
        .build();
  }

}
