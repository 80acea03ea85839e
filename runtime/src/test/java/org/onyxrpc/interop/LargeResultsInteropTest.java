package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Results larger than libtirpc's UDP buffer (8800 bytes) between Onyx and rpcgen's C, built from
 * src/test/c/bulk/bulk.x with MT-safe stubs (rpcgen -M -N): the C server answers a result that
 * does not fit SYSTEM_ERR (it ran, and failed to send), which is what an Onyx client reports; an
 * Onyx server sends it whole, and libtirpc's client, which reads 8800 bytes of it, cannot decode
 * it, as it could not from a C server that sent it; over TCP every size crosses. Many Onyx
 * clients over TCP and UDP at once are all answered by the C server's single-threaded svc_run.
 */
class LargeResultsInteropTest {
  private static final int PROGRAM = 0x20000778;
  private static final Procedure<Integer, byte[]> FILL =
      new Procedure<>(PROGRAM, 1, 1, "Bulk.FILL", XdrCodecs.UNSIGNED_INT, XdrCodecs.OPAQUE);

  @TempDir static Path work;
  private static NativeInterop c;
  private static int cPort;

  @BeforeAll
  static void startCServer() throws Exception {
    c = NativeInterop.buildBulk(work);
    cPort = c.startServer();
  }

  @AfterAll
  static void stopCServer() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  @Test
  void onyxClientGetsWhatFitsAndSystemErrForWhatDoesNot() {
    try (RpcClient udp = client(Transport.UDP); RpcClient tcp = client(Transport.TCP)) {
      for (int size : new int[] {0, 100, 8000, 8760}) {
        assertArrayEquals(filled(size), udp.call(FILL, size), "UDP " + size);
      }
      for (int size : new int[] {8800, 60000}) {
        RpcException e = assertThrows(RpcException.class, () -> udp.call(FILL, size));
        assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e::toString);
      }
      assertArrayEquals(filled(100), udp.call(FILL, 100), "and UDP serves on");
      for (int size : new int[] {8800, 60000, 1_000_000}) {
        assertArrayEquals(filled(size), tcp.call(FILL, size), "TCP " + size);
      }
    }
  }

  @Test
  void manyOnyxClientsOverTcpAndUdpAtOnce() throws Exception {
    Random random = new Random(42);
    List<RpcClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        clients.add(client(i % 2 == 0 ? Transport.TCP : Transport.UDP));
      }
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int round = 0; round < 25; round++) {
        for (RpcClient client : clients) {
          int size = random.nextInt(8000);
          sizes.add(size);
          calls.add(client.callAsync(FILL, size));
        }
      }
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(filled(sizes.get(i)), calls.get(i).get(60, TimeUnit.SECONDS), "call " + i);
      }
    } finally {
      clients.forEach(RpcClient::close);
    }
  }

  @Test
  void cClientGetsWhatFitsInItsBuffer() throws Exception {
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> filled(size))
            .build())
        .build()
        .start()) {
      assertEquals("""
          FILL(0) -> 0 bytes, intact
          FILL(8000) -> 8000 bytes, intact
          FILL(8760) -> 8760 bytes, intact
          FILL(8800) -> RPC: Can't decode result
          FILL(60000) -> RPC: Can't decode result
          FILL(100) -> 100 bytes, intact
          """, c.runClient(Transport.UDP, server.port(), List.of("0", "8000", "8760", "8800", "60000", "100")));
      assertEquals("""
          FILL(0) -> 0 bytes, intact
          FILL(8800) -> 8800 bytes, intact
          FILL(1000000) -> 1000000 bytes, intact
          """, c.runClient(Transport.TCP, server.port(), List.of("0", "8800", "1000000")));
    }
  }

  private static byte[] filled(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  private static RpcClient client(Transport transport) {
    return RpcClient.builder().address("127.0.0.1", cPort).transport(transport)
        .timeout(Duration.ofSeconds(20)).build();
  }
}
