package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.onyxrpc.interop.BulkProgram.ECHO;
import static org.onyxrpc.interop.BulkProgram.FILL;
import static org.onyxrpc.interop.BulkProgram.PROGRAM;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * rpcgen's MT-safe code (-M: results through a pointer the caller owns, _freeresult on the
 * server) against Onyx, both ways, from src/test/c/bulk: bulk_threads, eight threads of one C
 * process each with its own CLIENT calling at once, gets every result whole from an Onyx server
 * as from bulk_server; one Onyx client with 200 calls at once (ECHO and FILL of mixed sizes) on
 * its one connection, or its one UDP socket (sent at least once: see {@link #IDEMPOTENT}), gets
 * every result whole from bulk_server, which answers them one after another; and so do four
 * clients with 64 calls in flight each on its own connection, which bulk_server serves by turns.
 */
class MtSafeCPeersTest {

  /**
   * FILL and ECHO may run twice. Over UDP a burst of 200 calls overflows the C server's socket
   * buffer, and an at-most-once call to a server without a duplicate cache is sent once: a
   * dropped one is TIMEOUT at its deadline. At least once, it is sent again.
   */
  private static final CallOptions IDEMPOTENT =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  @TempDir static Path work;
  private static NativeInterop c;
  private static int cPort;
  private static RpcServer onyx;

  @BeforeAll
  static void startServers() throws Exception {
    c = NativeInterop.buildBulk(work);
    cPort = c.startServer();
    onyx = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> filled(size))
            .procedure(ECHO, (data, ctx) -> data)
            .build())
        .build()
        .start();
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    OnyxServers.stop(onyx, c);
  }

  /** Over UDP no larger than libtirpc's 8800-byte buffers take. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"tcp, 100000", "udp, 8000"})
  void cThreadsEachWithItsOwnClientCallAtOnce(String proto, int max) throws Exception {
    List<String> arguments = List.of(proto, "127.0.0.1", "PORT", "8", "40", Integer.toString(max));
    String expected = "8 threads x 40 calls over " + proto + ": 320 intact\n";
    assertEquals(expected, c.runBuiltBeside("bulk_threads", at(arguments, cPort)), "bulk_server");
    assertEquals(expected, c.runBuiltBeside("bulk_threads", at(arguments, onyx.port())), "Onyx server");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"TCP, 100000", "UDP, 8000"})
  void oneOnyxClientWithManyCallsAtOnceAgainstTheCServer(Transport transport, int max)
      throws Exception {
    Random random = new Random(26);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", cPort).transport(transport)
        .timeout(Duration.ofSeconds(60)).attemptTimeout(Duration.ofMillis(200)).build()) {
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int size = random.nextInt(max + 1);
        sizes.add(size);
        calls.add(i % 2 == 0 ? client.callAsync(FILL, size, IDEMPOTENT)
            : client.callAsync(ECHO, filled(size), IDEMPOTENT));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(filled(sizes.get(i)), calls.get(i).get(60, TimeUnit.SECONDS), "call " + i);
      }
    }
  }

  /**
   * Four Onyx clients, each with 64 calls in flight on its own connection, against bulk_server,
   * whose one thread serves the four connections by turns (rpcgen has no -A here and libtirpc no
   * RPC_SVC_MT_AUTO: no C server of this toolchain answers one connection's calls concurrently;
   * ReorderingCServerTest answers them out of order by hand). Every reply reaches its own call
   * on its own connection, with no call sent twice.
   */
  @Test
  void severalOnyxClientsEachWithManyCallsInFlightOnItsOwnConnection() throws Exception {
    Random random = new Random(28);
    List<RpcClient> clients = new ArrayList<>();
    try {
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        clients.add(RpcClient.builder().address("127.0.0.1", cPort)
            .timeout(Duration.ofSeconds(60)).attemptTimeout(Duration.ofSeconds(60)).build());
      }
      for (int i = 0; i < 64; i++) {
        for (RpcClient client : clients) {
          int size = random.nextInt(20_001);
          sizes.add(size);
          calls.add(i % 2 == 0 ? client.callAsync(FILL, size) : client.callAsync(ECHO, filled(size)));
        }
      }
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(filled(sizes.get(i)), calls.get(i).get(60, TimeUnit.SECONDS), "call " + i);
      }
      for (RpcClient client : clients) {
        assertEquals(1, client.stats().connects(), client.stats()::toString);
        assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
      }
    } finally {
      clients.forEach(RpcClient::close);
    }
  }

  private static List<String> at(List<String> arguments, int port) {
    List<String> copy = new ArrayList<>(arguments);
    copy.set(2, Integer.toString(port));
    return copy;
  }

  private static byte[] filled(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }
}
