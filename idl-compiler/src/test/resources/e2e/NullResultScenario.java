package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;

/**
 * Compiled with the Java of everything.idl by EndToEndTest: an implementation that returns null
 * where its result's type has none is the server's error. Its caller gets SYSTEM_ERR on a
 * connection that serves on; a procedure with declared exceptions, whose result travels in a
 * Reply, has its skeleton refuse the null, naming the procedure (what the server logs).
 */
public final class NullResultScenario implements Callable<String> {
  private static final String FIND = "EchoV1.find returned null; XDR has no null string, only"
      + " optional data (T *) may be null";

  @Override
  public String call() throws Exception {
    EchoV1.Echo sync = new EchoV1.EchoImplBase() {
      @Override public String find(String key) { return null; }
      @Override public List<String> words(List<String> value) { return null; }
      @Override public long add(long a, long b, int c) { return a + b + c; }
    };
    EchoV1.AsyncEcho async = new EchoV1.AsyncEchoImplBase() {
      @Override public CompletableFuture<String> find(String key) {
        return CompletableFuture.completedFuture(null);
      }
      @Override public CompletableFuture<List<String>> words(List<String> value) {
        return CompletableFuture.completedFuture(null);
      }
      @Override public CompletableFuture<Long> add(long a, long b, int c) {
        return CompletableFuture.completedFuture(a + b + c);
      }
    };
    refusedNamingTheProcedure(EchoV1.bind(sync));
    refusedNamingTheProcedure(EchoV1.bindAsync(async));
    return "ok";
  }

  private static void refusedNamingTheProcedure(ServiceDefinition service) throws Exception {
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ServerInterceptor seen = new ServerInterceptor() {
      @Override public void onStart(ServerCall call) {}
      @Override public void onClose(ServerCall call) { // before the reply is sent
        if (call.failure() != null) {
          failures.add(call.failure());
        }
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).addService(service).intercept(seen)
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      EchoV1.Echo echo = EchoV1.newClient(client);
      assertEquals(RpcStatus.SYSTEM_ERR,
          assertThrows(RpcException.class, () -> echo.find("k")).status());
      Throwable failure = failures.poll();
      assertInstanceOf(NullPointerException.class, failure);
      assertEquals(FIND, failure.getMessage());
      // Without declared exceptions the result itself is null: the server says so (its log).
      assertEquals(RpcStatus.SYSTEM_ERR,
          assertThrows(RpcException.class, () -> echo.words(List.of())).status());
      assertInstanceOf(NullPointerException.class, failures.poll());
      assertEquals(6, echo.add(1, 2, 3));
      assertEquals(1, client.stats().connects(), "one connection served every call");
    }
  }
}
