import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * Compiled with the Java of golden/null-procedure/bind.x by EndToEndTest: version 1 declares
 * procedure 0 with a result (as OpenSolaris' metacl.x does), which the server runs on the
 * implementation and the client decodes; version 2's void procedure 0 is the server's own NULL
 * ping. Pings to either, and the client's own before its first at-most-once call, work.
 */
public final class NullProcedureScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    BindProgV1.BindProg v1Impl = new BindProgV1.BindProgImplBase() {
      @Override
      public BindRes bindNull() {
        return new BindRes(runs.incrementAndGet(), "bound");
      }

      @Override
      public int bindTwice(int n) {
        return 2 * n;
      }
    };
    BindProgV2.BindProg v2Impl = new BindProgV2.BindProgImplBase() {
      @Override
      public int bindTwice(int n) {
        return 3 * n;
      }
    };
    try (RpcServer server = RpcServer.builder().port(0)
            .addService(BindProgV1.bind(v1Impl))
            .addService(BindProgV2.bind(v2Impl))
            .build().start();
        // A ping unanswered within the attempt timeout is sent again, and runs procedure 0 again:
        // on a loaded machine the first one's reply, on a cold JVM, took over the default second.
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .attemptTimeout(Duration.ofMinutes(1)).build()) {
      BindProgV1.BindProg v1 = BindProgV1.newClient(client);
      // The client's NULL ping before this first at-most-once call runs procedure 0 once.
      assertEquals(42, v1.bindTwice(21));
      assertEquals(1, runs.get());
      assertEquals(new BindRes(2, "bound"), v1.bindNull());
      assertEquals(new BindRes(3, "bound"), BindProgV1.newAsyncClient(client).bindNull().get());
      client.ping(BindProgV1.PROGRAM, BindProgV1.VERSION);
      assertEquals(4, runs.get());

      BindProgV2.BindProg v2 = BindProgV2.newClient(client);
      v2.bindNull();
      client.ping(BindProgV2.PROGRAM, BindProgV2.VERSION);
      assertEquals(63, v2.bindTwice(21));
      assertEquals(4, runs.get(), "version 2's procedure 0 is answered by the server");
    }
    try (RpcServer asyncServer = RpcServer.builder().port(0)
            .addService(BindProgV1.bindAsync(new BindProgV1.AsyncBindProgImplBase() {}))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", asyncServer.port()).build()) {
      // Not implemented: procedure 0 is PROC_UNAVAIL like any other, and says so.
      assertEquals("PROC_UNAVAIL", org.junit.jupiter.api.Assertions.assertThrows(
          org.onyxrpc.rpc.RpcException.class, () -> BindProgV1.newClient(client).bindNull())
          .status().name());
    }
    return "ok";
  }
}
