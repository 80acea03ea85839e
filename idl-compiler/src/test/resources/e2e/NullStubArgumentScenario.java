package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcCaller;
import org.onyxrpc.rpc.Procedure;

/**
 * Compiled with the Java of everything.idl by EndToEndTest: a stub refuses a null single argument
 * where XDR has none (a string, opaque, array, enum, struct or union that is not optional data)
 * on the caller's thread, naming the procedure and parameter, before anything reaches the client;
 * optional data still goes through as null.
 */
public final class NullStubArgumentScenario implements Callable<String> {
  @Override
  public String call() {
    Reached reached = new Reached();
    EchoV1.Echo sync = EchoV1.newClient(reached);
    EchoV1.AsyncEcho async = EchoV1.newAsyncClient(reached);
    EchoV2.Echo v2 = EchoV2.newClient(reached);
    rejects("EchoV1.scalars.value is null; XDR has no null struct", () -> sync.scalars(null));
    rejects("EchoV1.lookup.value is null; XDR has no null union", () -> sync.lookup(null));
    rejects("EchoV1.words.value is null; XDR has no null array", () -> sync.words(null));
    rejects("EchoV1.find.key is null; XDR has no null string", () -> sync.find(null));
    rejects("EchoV1.record_.line is null; XDR has no null string", () -> sync.record_(null));
    rejects("EchoV1.shape.value is null; XDR has no null union", () -> async.shape(null));
    rejects("EchoV1.find.key is null; XDR has no null string", () -> async.find(null));
    rejects("EchoV1.record_.line is null; XDR has no null string", () -> async.record_(null));
    rejects("EchoV2.hello.name is null; XDR has no null string", () -> v2.hello(null));
    assertEquals(0, reached.calls, "a refused call reached the client");
    // Optional data says absent with null: that call goes through.
    sync.reverse(null);
    async.count(null);
    assertEquals(2, reached.calls);
    return "ok";
  }

  private static void rejects(String message, Executable call) {
    assertEquals(message + ", only optional data (T *) may be null",
        assertThrows(NullPointerException.class, call).getMessage());
  }

  /** A caller that counts what reaches it and answers each call with null. */
  private static final class Reached implements RpcCaller {
    int calls;

    @Override
    public <A, R> R call(Procedure<A, R> procedure, A args, CallOptions options) {
      calls++;
      return null;
    }

    @Override
    public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure,
        A args, CallOptions options) {
      calls++;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure,
        A args, CallOptions options) {
      calls++;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options) {
      calls++;
    }
  }
}
