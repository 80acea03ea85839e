import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;

/**
 * Compiled with the Java of golden/null-procedure/bind.x by EndToEndTest: a null given to a
 * client factory or to bind fails there, naming the parameter, rather than in each call of the
 * stub or each call the server takes.
 */
public final class NullArgumentsScenario implements Callable<String> {
  @Override
  public String call() throws Exception {
    rejects("client", () -> BindProgV1.newClient(null));
    rejects("client", () -> BindProgV1.newClient(null, CallOptions.DEFAULT));
    rejects("client", () -> BindProgV1.newAsyncClient(null));
    rejects("client", () -> BindProgV1.newAsyncClient(null, CallOptions.DEFAULT));
    rejects("impl", () -> BindProgV1.bind(null));
    rejects("impl", () -> BindProgV1.bindAsync(null));
    try (RpcClient client = RpcClient.builder().address("localhost", 1).build()) {
      rejects("options", () -> BindProgV1.newClient(client, null));
      rejects("options", () -> BindProgV1.newAsyncClient(client, null));
    }
    return "ok";
  }

  private static void rejects(String parameter, Executable factory) {
    assertEquals(parameter, assertThrows(NullPointerException.class, factory).getMessage());
  }
}
