package org.onyxrpc.server;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A service for the tests of a dedicated thread's kept reply writer: its results' encoder notes
 * the {@link XdrWriter} each was encoded with, {@link #bytes} answers on the thread that read the
 * call, {@link #elsewhere} on another thread, and a result of {@link #UNENCODABLE} bytes fails to
 * encode half way (the call is answered SYSTEM_ERR).
 */
final class WatchedReplyWriters implements AutoCloseable {
  /** Results of this length fail to encode. */
  static final int UNENCODABLE = 13;

  private final int program;
  /** The writers the results were encoded with, by identity. */
  private final Set<XdrWriter> writers = Collections.newSetFromMap(new IdentityHashMap<>());
  private final ExecutorService completer = Executors.newSingleThreadExecutor();
  /** Answered by the thread that read the call. */
  final Procedure<Integer, byte[]> bytes;
  /** Completed by another thread once the server waits for it: its reply is made there. */
  final Procedure<Integer, byte[]> elsewhere;

  WatchedReplyWriters(int program, CallSemantics semantics) {
    this.program = program;
    XdrCodec<byte[]> watched = XdrCodecs.of(
        (out, result) -> {
          synchronized (writers) {
            writers.add(out);
          }
          if (result.length == UNENCODABLE) {
            out.writeInt(1); // half of a result, then the codec fails
            throw new IllegalStateException("not encodable");
          }
          XdrCodecs.OPAQUE.encode(out, result);
        },
        XdrCodecs.OPAQUE::decode);
    this.bytes = new Procedure<>(program, 1, 1, "Writers.bytes", XdrCodecs.INT, watched, semantics);
    this.elsewhere =
        new Procedure<>(program, 1, 2, "Writers.elsewhere", XdrCodecs.INT, watched, semantics);
  }

  /** The service, both procedures filling {@code n} bytes. */
  ServiceDefinition definition() {
    return ServiceDefinition.builder(program, 1)
        .procedure(bytes, (n, ctx) -> filled(n))
        .asyncProcedure(elsewhere, (n, ctx) -> {
          CompletableFuture<byte[]> result = new CompletableFuture<>();
          completer.execute(() -> {
            Await.until(() -> result.getNumberOfDependents() > 0);
            result.complete(filled(n));
          });
          return result;
        })
        .build();
  }

  /** How many writers the results were encoded with. */
  int writers() {
    synchronized (writers) {
      return writers.size();
    }
  }

  /** {@code n} bytes that differ with {@code n}. */
  static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + n);
    }
    return b;
  }

  @Override
  public void close() {
    completer.shutdownNow();
  }
}
