package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.testing.TestService;

/** An {@link RpcServer} takes its settings at {@code build()}: a builder changed afterwards reaches no server. */
class BuilderCopiedTest {
  @Test
  void aBuilderChangedAfterBuildDoesNotReachTheServer() throws Exception {
    RpcServerBuilder builder = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(new TestService().definition());
    try (RpcServer server = builder.build()) {
      List<ProgramVersion> built = server.programVersions();
      builder.addService(ServiceDefinition.builder(TestService.PROGRAM + 1, 1).build())
          .maxConcurrentCallsPerConnection(1).maxRecordBytes(64);
      server.start();
      assertEquals(built, server.programVersions());
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
        String longer = "x".repeat(1000); // more than the 64 bytes set after build()
        assertEquals(longer, client.call(TestService.ECHO, longer));
      }
    }
  }
}
