package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.testing.TestService;

/**
 * The server side's builders take their settings at {@code build()}: a builder changed afterwards
 * reaches nothing it built.
 */
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

  @Test
  void aServiceDefinitionBuilderChangedAfterBuildDoesNotReachTheDefinition() {
    ServiceDefinition.Builder builder = ServiceDefinition.builder(TestService.PROGRAM, 1)
        .procedure(TestService.ECHO, (text, ctx) -> text);
    ServiceDefinition built = builder.build();
    builder.procedure(TestService.ADD, (pair, ctx) -> 0).name("Renamed");
    assertNotNull(built.method(TestService.ECHO.number()));
    assertNull(built.method(TestService.ADD.number()));
    assertNull(built.name());
  }

  @Test
  void aCertificateAuthenticatorBuilderChangedAfterBuildDoesNotReachTheAuthenticator() {
    CertificateAuthenticator.Builder builder = CertificateAuthenticator.builder();
    CertificateAuthenticator built = builder.build();
    builder.allowWithoutCertificate(CallScope.program(TestService.PROGRAM));
    CallHeader call = CallHeader.of(1, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE);
    assertEquals(AuthStatus.AUTH_TOOWEAK,
        assertThrows(RpcException.class, () -> built.authenticate(call)).authStatus());
  }
}
