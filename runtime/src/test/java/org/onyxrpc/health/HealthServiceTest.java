package org.onyxrpc.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

class HealthServiceTest {
  @Test
  void theWholeServerServesFromTheStartAndUnsetNamesAreUnknown() {
    HealthService health = new HealthService();
    assertEquals(ServingStatus.SERVING, health.check(HealthService.SERVER));
    assertEquals(ServingStatus.UNKNOWN, health.check("com.example.Calc"));
    health.set("com.example.Calc", ServingStatus.NOT_SERVING);
    assertEquals(ServingStatus.NOT_SERVING, health.check("com.example.Calc"));
    health.set("com.example.Calc", ServingStatus.UNKNOWN);
    assertEquals(ServingStatus.UNKNOWN, health.check("com.example.Calc"));
    assertThrows(IllegalArgumentException.class, () -> health.set("x".repeat(256), ServingStatus.SERVING));
  }

  @Test
  void checkedOverTheWireBesideAnotherProgram() throws Exception {
    HealthService health = new HealthService();
    Procedure<Void, Void> nothing = new Procedure<>(0x20000abc, 1, 1, "Nothing.nothing", XdrCodecs.VOID, XdrCodecs.VOID);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000abc, 1).procedure(nothing, (v, ctx) -> null).build())
        .addService(health.definition())
        .build().start()) {
      for (Transport transport : java.util.List.of(Transport.TCP, Transport.UDP)) {
        try (RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port()).transport(transport).build()) {
          health.set("Nothing", ServingStatus.SERVING);
          assertEquals(ServingStatus.SERVING, HealthClient.check(rpc, "Nothing"));
          health.set("Nothing", ServingStatus.NOT_SERVING);
          assertEquals(ServingStatus.NOT_SERVING, HealthClient.check(rpc, "Nothing"));
          assertEquals(ServingStatus.SERVING, HealthClient.check(rpc, ""));
          assertEquals(ServingStatus.UNKNOWN, HealthClient.check(rpc, "Other"));
        }
      }
    }
  }

  @Test
  void aServerWithoutItAnswersProgUnavail() throws Exception {
    Procedure<Void, Void> nothing = new Procedure<>(0x20000abc, 1, 1, "Nothing.nothing", XdrCodecs.VOID, XdrCodecs.VOID);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(0x20000abc, 1).procedure(nothing, (v, ctx) -> null).build())
        .build().start();
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> HealthClient.check(rpc, ""));
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status());
    }
  }

  @Test
  void anUndeclaredStatusOnTheWireIsMalformed() {
    assertThrows(org.onyxrpc.xdr.XdrException.class, () -> ServingStatus.of(3));
    assertEquals(ServingStatus.NOT_SERVING, ServingStatus.of(2));
  }
}
