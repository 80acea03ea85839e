package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.RpcCaller;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.DirectoryClientBuilder;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.remote.RemoteDirectoryBuilder;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * A null argument to runtime's builders and options is refused at once, by name. Before, each of
 * these threw the JDK's own message about the code inside ({@code Cannot invoke
 * "java.time.Duration.isNegative()" because "d" is null}, {@code Cannot read the array length
 * because "<local2>" is null}), no message at all ({@code CallOptions.withDeadline(null)}), or an
 * IllegalArgumentException "hostname can't be null".
 */
class NullArgumentsTest {
  private static final Procedure<Void, Void> NULL_PING = Procedure.nullPing(0x20000101, 1);
  private static final Procedure<Void, Void> VOID_PROC = NULL_PING;

  private static void refused(String argument, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(argument, e.getMessage());
  }

  @Test
  void theClientBuilderAndCallOptionsNameTheNullArgument() {
    RpcClientBuilder b = RpcClient.builder();
    refused("host", () -> b.address(null, 111));
    refused("timeout", () -> b.timeout(null));
    refused("attemptTimeout", () -> b.attemptTimeout(null));
    refused("connectTimeout", () -> b.connectTimeout(null));
    refused("interceptors", () -> b.intercept((ClientInterceptor[]) null));
    refused("semantics", () -> CallOptions.DEFAULT.withSemantics(null));
    refused("deadline", () -> CallOptions.DEFAULT.withDeadline(null));
    refused("attemptTimeout", () -> CallOptions.DEFAULT.withAttemptTimeout(null));
    refused("credentials", () -> CallOptions.DEFAULT.withCredentials(null));
    refused("body", () -> Credentials.opaque(390_045, null));
    refused("reply", () -> RpcException.fromReply(null, NULL_PING));
    refused("reply", () -> RpcException.fromReply(null, "why"));
  }

  /**
   * A call's null procedure or options, before the call does anything. Before, the JDK's message
   * about the client's inside ({@code Cannot invoke "org.onyxrpc.rpc.Procedure.semantics()"
   * because "procedure" is null}, {@code Cannot invoke "org.onyxrpc.client.CallOptions
   * .withSemantics(...)" because "options" is null}).
   */
  @Test
  void theCallMethodsNameTheNullArgument() {
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", 9).build();
        DirectoryClient directory = DirectoryClient.builder().directory(Directory.none())
            .program(0x20000101, 1).build()) {
      for (RpcCaller caller : new RpcCaller[] {client, directory}) {
        refused("procedure", () -> caller.call(null, null));
        refused("procedure", () -> caller.callAsync(null, null));
        refused("procedure", () -> caller.send(null, null));
        refused("procedure", () -> caller.sendAndWait(null, null, CallOptions.DEFAULT));
        refused("options", () -> caller.call(NULL_PING, null, null));
        refused("options", () -> caller.callAsync(NULL_PING, null, null));
        refused("options", () -> caller.send(VOID_PROC, null, null));
        refused("options", () -> caller.sendAndWait(VOID_PROC, null, null));
      }
      refused("call", () -> client.stopRetransmitting(null));
      assertEquals(0, client.stats().calls(), "none was made");
    }
  }

  @Test
  void theServerBuilderNamesTheNullArgument() {
    RpcServerBuilder b = RpcServer.builder();
    refused("recordTimeout", () -> b.recordTimeout(null));
    refused("idleTimeout", () -> b.idleTimeout(null));
    refused("ttl", () -> b.duplicateRequestCache(16, 1024, null));
    refused("interceptors", () -> b.intercept((ServerInterceptor[]) null));
    refused("name", () -> b.serviceName(0x20000101, null));
    refused("first", () -> b.transports(null));
    refused("transport", () -> b.transports(Transport.TCP, (Transport) null));
    refused("name", () -> ServiceDefinition.builder(0x20000101, 1).name(null));
    refused("reason", () -> RpcException.authError(null, "why"));
  }

  @Test
  void theDirectoryBuildersNameTheNullArgument() {
    RemoteDirectoryBuilder remote = RemoteDirectory.builder();
    refused("host", () -> remote.address(null, 111));
    refused("timeout", () -> remote.timeout(null));
    DirectoryClientBuilder client = DirectoryClient.builder();
    refused("cacheTtl", () -> client.cacheTtl(null));
    refused("dropFor", () -> client.dropFor(null));
  }
}
