package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onyxrpc.interop.BulkProgram.LONG_FILL;
import static org.onyxrpc.interop.BulkProgram.LONG_LENGTH;
import static org.onyxrpc.interop.BulkProgram.PROGRAM;
import static org.onyxrpc.interop.BulkProgram.TEXT_FILL;
import static org.onyxrpc.interop.BulkProgram.TEXT_LENGTH;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * A procedure's own {@code string} argument or result ({@code string NAME(string)} in a .x file):
 * rpcgen codes it with xdr_wrapstring, which libtirpc bounds to RPC_MAXDATASIZE, 9000 bytes,
 * while Onyx reads it as the unbounded {@code string<>} it is. So over TCP, where nothing else
 * limits it, a longer string from an Onyx client is GARBAGE_ARGS from the C server, a C client
 * cannot send one (never sent) nor read one an Onyx server answers; the same string through a
 * typedef ({@code typedef string longtext<>}, coded by xdr_longtext with no bound) crosses both
 * ways, the same bytes on the wire. README's "Coming from rpcgen" says so.
 */
class BareStringInteropTest {
  /** libtirpc's RPC_MAXDATASIZE, xdr_wrapstring's bound. */
  private static final int WRAPSTRING_BOUND = 9000;
  private static final int LONG = 100_000;

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
  void theCServerRefusesABareStringOver9000BytesAndTakesATypedefOne() {
    try (RpcClient tcp = RpcClient.builder().address("127.0.0.1", cPort)
        .timeout(Duration.ofSeconds(20)).build()) {
      assertEquals(WRAPSTRING_BOUND, tcp.call(TEXT_LENGTH, text(WRAPSTRING_BOUND)));
      RpcException e = assertThrows(RpcException.class,
          () -> tcp.call(TEXT_LENGTH, text(WRAPSTRING_BOUND + 1)));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e::toString);
      assertEquals(LONG, tcp.call(LONG_LENGTH, text(LONG)));
      assertEquals(text(LONG), tcp.call(LONG_FILL, LONG));
      assertEquals(text(WRAPSTRING_BOUND), tcp.call(TEXT_FILL, WRAPSTRING_BOUND));
    }
  }

  @Test
  void aCClientNeitherSendsNorReadsABareStringOver9000Bytes() throws Exception {
    List<String> calls = List.of("text:9000", "text:9001", "long:100000", "textfill:9000",
        "textfill:9001", "longfill:100000");
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(TEXT_LENGTH, (text, ctx) -> text.length())
            .procedure(LONG_LENGTH, (text, ctx) -> text.length())
            .procedure(TEXT_FILL, (size, ctx) -> text(size))
            .procedure(LONG_FILL, (size, ctx) -> text(size))
            .build())
        .build()
        .start()) {
      String expected = """
          TEXT_LENGTH(9000 bytes) -> 9000
          TEXT_LENGTH(9001 bytes) -> RPC: Can't encode arguments
          LONG_LENGTH(100000 bytes) -> 100000
          TEXT_FILL(9000) -> 9000 bytes
          TEXT_FILL(9001) -> RPC: Can't decode result
          LONG_FILL(100000) -> 100000 bytes
          """;
      assertEquals(expected, c.runClient(Transport.TCP, server.port(), calls), "the Onyx server");
      assertEquals(expected, c.runClient(Transport.TCP, cPort, calls), "the C server");
    }
  }

  private static String text(int size) {
    return "x".repeat(size);
  }
}
