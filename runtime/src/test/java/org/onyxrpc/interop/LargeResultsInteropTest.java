package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * Results larger than libtirpc's UDP buffer (8800 bytes) between Onyx and rpcgen's C, built from
 * src/test/c/bulk/bulk.x with MT-safe stubs (rpcgen -M -N): the C server answers a result that
 * does not fit SYSTEM_ERR (it ran, and failed to send), which is what an Onyx client reports; an
 * Onyx server sends it whole, and libtirpc's client, which reads 8800 bytes of it, cannot decode
 * it, as it could not from a C server that sent it; over TCP every size crosses. Many Onyx
 * clients over TCP and UDP at once are all answered by the C server's single-threaded svc_run.
 * With buffers of a whole IPv4 datagram (65,507 bytes) on the C side (clntudp_bufcreate,
 * svcudp_bufcreate), calls and replies up to that size cross over UDP both ways, and a result one
 * datagram cannot carry is SYSTEM_ERR from either server.
 */
class LargeResultsInteropTest {
  /** The most an IPv4 UDP datagram carries. */
  private static final int DATAGRAM = 65_507;
  /** The largest opaque in a call (40 bytes of header with AUTH_NONE, 4 of length) or reply (24). */
  private static final int LARGEST_ECHO = DATAGRAM - 40 - 4 - 3;
  /** A result that leaves 24 + 4 + 65,480 = 65,508 bytes to reply: one over. */
  private static final int FILL_OVER = 65_480;

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
        assertTrue(e.getMessage().endsWith("with a system error; it may have run; over UDP it is"
            + " also how a server tells a result larger than its datagram (rpcgen's C servers,"
            + " libtirpc's svcudp_create, send at most 8800 bytes of one; an Onyx server its"
            + " maxDatagramBytes): over TCP the result would come whole"), e::getMessage);
      }
      assertArrayEquals(filled(100), udp.call(FILL, 100), "and UDP serves on");
      for (int size : new int[] {8800, 60000, 1_000_000}) {
        assertArrayEquals(filled(size), tcp.call(FILL, size), "TCP " + size);
      }
    }
  }

  /**
   * The other way, as README's "Coming from rpcgen" says: svcudp_create reads 8800 bytes of a
   * datagram, so a larger call from an Onyx client reaches the C server cut short, and it answers
   * GARBAGE_ARGS, which the Onyx client tells with the datagram's size and the C servers' limit
   * (not only as version skew); over TCP the same call crosses.
   */
  @Test
  void onyxCallLargerThanTheCServersUdpBufferIsGarbageArgs() {
    try (RpcClient udp = client(Transport.UDP); RpcClient tcp = client(Transport.TCP)) {
      // 40 bytes of call header with AUTH_NONE, 4 of length: 8744 and 8804 bytes in all.
      assertArrayEquals(filled(8700), udp.call(ECHO, filled(8700)), "UDP 8700");
      RpcException e = assertThrows(RpcException.class, () -> udp.call(ECHO, filled(8760)));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status(), e::toString);
      assertTrue(e.getMessage().contains("the call was a datagram of 8804 bytes, and rpcgen's C"
          + " servers (libtirpc's svcudp_create) read at most 8800 bytes of one, so such a server"
          + " decodes it cut short"), e::getMessage);
      assertTrue(e.getMessage().endsWith("Send it over TCP (or give the C server larger buffers"
          + " with svcudp_bufcreate); over UDP these arguments will be refused again"), e::getMessage);
      assertArrayEquals(filled(8760), tcp.call(ECHO, filled(8760)), "TCP 8760");
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
            .procedure(ECHO, (data, ctx) -> data)
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
      // clntudp_create sends no more than 8800 bytes either: 40 bytes of call header with
      // AUTH_NONE and 4 of length make 8794 and 8804; the larger call never leaves the C client.
      assertEquals("""
          ECHO(8750 bytes) -> 8750 bytes, intact
          ECHO(8760 bytes) -> RPC: Can't encode arguments
          ECHO(100 bytes) -> 100 bytes, intact
          """, c.runClient(Transport.UDP, server.port(), List.of("echo:8750", "echo:8760", "echo:100")));
      assertEquals("""
          FILL(0) -> 0 bytes, intact
          FILL(8800) -> 8800 bytes, intact
          FILL(1000000) -> 1000000 bytes, intact
          ECHO(1000000 bytes) -> 1000000 bytes, intact
          """, c.runClient(Transport.TCP, server.port(), List.of("0", "8800", "1000000", "echo:1000000")));
    }
  }

  /**
   * An Onyx server cannot know a C client's buffer: by default it sends a result of any size that
   * one datagram carries, and libtirpc's client, reading 8800 bytes of it, reports {@code RPC:
   * Can't decode result} (above), though the call ran. Held to rpcgen's datagram with {@code
   * maxDatagramBytes(8800)}, the server answers a larger result SYSTEM_ERR in its place (and warns
   * "reply of N bytes to ... is over the maximum datagram of 8800: sending SYSTEM_ERR"), which the
   * C client reports as {@code RPC: Remote system error}: the call ran and its reply could not
   * come. README, "Coming from rpcgen", UDP's 8800 bytes.
   */
  @Test
  void cClientOfAServerHeldToRpcgensDatagramGetsSystemErrForALargerResult() throws Exception {
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP)
        .maxDatagramBytes(8800)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> filled(size))
            .build())
        .build()
        .start()) {
      // 24 bytes of reply header with AUTH_NONE and 4 of length: 8800 bytes, and 8804 (8773
      // padded to 8776).
      assertEquals("""
          FILL(8772) -> 8772 bytes, intact
          FILL(8773) -> RPC: Remote system error
          FILL(100) -> 100 bytes, intact
          """, c.runClient(Transport.UDP, server.port(), List.of("8772", "8773", "100")));
    }
  }

  /**
   * libtirpc's TCP client with 100-byte xdrrec buffers (its smallest) sends a call in record
   * fragments of 96 bytes: 200,000 bytes of ECHO are some 2,100 fragments, read as one record.
   * The server's record limit is the record's: under a 100,000-byte limit, a call of 90,000 bytes
   * in 940 fragments (90,048 bytes of call and 3,756 of further fragment headers, which count)
   * is answered, and one of 120,000 closes the connection, as a record over the limit does.
   */
  @Test
  void cClientsTinyFragmentsAreOneRecordAgainstTheServersLimit() throws Exception {
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .maxRecordBytes(100_000)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(ECHO, (data, ctx) -> data).build())
        .build()
        .start()) {
      String transcript = c.runClient("tcp-100", server.port(), List.of("echo:90000", "echo:120000"));
      assertTrue(transcript.startsWith("ECHO(90000 bytes) -> 90000 bytes, intact\nECHO(120000 bytes) -> RPC: "),
          transcript);
      assertFalse(transcript.contains("120000 bytes, intact"), transcript);
    }
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(ECHO, (data, ctx) -> data).build())
        .build()
        .start()) {
      assertEquals("ECHO(200000 bytes) -> 200000 bytes, intact\n",
          c.runClient("tcp-100", server.port(), List.of("echo:200000")));
    }
  }

  /**
   * An Onyx client and a C server whose UDP buffers take a whole datagram (svcudp_bufcreate,
   * answering from its own select() and svc_getreqset() loop): a call and a result of 65,504 and
   * 65,488 bytes cross; a result of 65,508 bytes is SYSTEM_ERR (it ran, and could not be sent);
   * a call over 65,507 bytes is RESOURCE_EXHAUSTED, never sent.
   */
  @Test
  void onyxClientAndACServerExchangeWholeDatagrams() throws Exception {
    int port = c.startServerWithUdpBuffer(DATAGRAM);
    try (RpcClient udp = RpcClient.builder().address("127.0.0.1", port).transport(Transport.UDP)
        .timeout(Duration.ofSeconds(20)).build()) {
      assertArrayEquals(filled(LARGEST_ECHO), udp.call(FILL, LARGEST_ECHO), "FILL");
      assertArrayEquals(filled(LARGEST_ECHO), udp.call(ECHO, filled(LARGEST_ECHO)), "ECHO");
      RpcException over = assertThrows(RpcException.class, () -> udp.call(FILL, FILL_OVER));
      assertEquals(RpcStatus.SYSTEM_ERR, over.status(), over::toString);
      RpcException unsent =
          assertThrows(RpcException.class, () -> udp.call(ECHO, filled(LARGEST_ECHO + 4)));
      assertEquals(RpcStatus.RESOURCE_EXHAUSTED, unsent.status(), unsent::toString);
      assertArrayEquals(filled(100), udp.call(ECHO, filled(100)), "and UDP serves on");
    }
  }

  /**
   * libtirpc's UDP client with buffers of a whole datagram (clntudp_bufcreate) gets the same
   * answers from an Onyx server as from the C server: every byte of a 65,504-byte call and a
   * 65,488-byte reply, and SYSTEM_ERR (in the reply's place) for a result that does not fit.
   */
  @Test
  void cClientWithWholeDatagramBuffers() throws Exception {
    List<String> calls = List.of("0", Integer.toString(LARGEST_ECHO), Integer.toString(FILL_OVER),
        "echo:" + LARGEST_ECHO, "100");
    String expected = """
        FILL(0) -> 0 bytes, intact
        FILL(65460) -> 65460 bytes, intact
        FILL(65480) -> RPC: Remote system error
        ECHO(65460 bytes) -> 65460 bytes, intact
        FILL(100) -> 100 bytes, intact
        """;
    String udp = "udp-" + DATAGRAM;
    assertEquals(expected, c.runClient(udp, c.startServerWithUdpBuffer(DATAGRAM), calls),
        "the C server");
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> filled(size))
            .procedure(ECHO, (data, ctx) -> data)
            .build())
        .build()
        .start()) {
      assertEquals(expected, c.runClient(udp, server.port(), calls), "the Onyx server");
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
