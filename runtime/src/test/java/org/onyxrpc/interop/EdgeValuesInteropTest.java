package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * XDR values at the edges of interop.x sent by a C client (interop_edges.c) over TCP, to the C
 * server and to an Onyx server: a name and a blob at exactly their bounds, a name with an
 * embedded NUL, a bool of 2, an undeclared enum value, and a list of 10,000 nodes through
 * optional data (rpcgen's XDR routines recurse once a node, on both C ends; Onyx's codec loops).
 *
 * <p>The C server's answers are expected-edges.txt. The Onyx server gives the same but for three,
 * each as README's XDR row says: it keeps the bytes after a NUL (a C server's string ends there),
 * and it refuses a bool other than 0 or 1 and an enum value the type does not declare with
 * GARBAGE_ARGS, before the procedure runs, where libtirpc's xdr_bool reads any non-zero as TRUE
 * and xdr_enum any int.
 */
class EdgeValuesInteropTest {
  @TempDir Path work;
  private NativeInterop c;

  @AfterEach
  void stopCServer() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  @Test
  void theCServerTakesEveryEdgeValue() throws Exception {
    c = NativeInterop.build(work);
    assertEquals(NativeInterop.expected("expected-edges.txt"),
        c.runClient(Transport.TCP, c.startServer(), "edges"));
  }

  @Test
  void theCServerTakesEveryEdgeValueOverUdp() throws Exception {
    c = NativeInterop.build(work);
    assertEquals(overUdp(NativeInterop.expected("expected-edges.txt")),
        c.runClient(Transport.UDP, c.startServer(), "edges"));
  }

  @Test
  void theOnyxServerKeepsNulsAndRefusesUndeclaredValuesBeforeRunning() throws Exception {
    assertEquals(onyxs(NativeInterop.expected("expected-edges.txt")),
        runAgainstOnyx(Transport.TCP));
  }

  @Test
  void theOnyxServerAnswersOverUdpAsOverTcp() throws Exception {
    assertEquals(overUdp(onyxs(NativeInterop.expected("expected-edges.txt"))),
        runAgainstOnyx(Transport.UDP));
  }

  private String runAgainstOnyx(Transport transport) throws Exception {
    c = NativeInterop.build(work);
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(transport)
        .addService(InteropService.definition())
        .build()
        .start()) {
      return c.runClient(transport, server.port(), "edges");
    }
  }

  /** The C server's transcript as an Onyx server answers it (README's XDR row). */
  private static String onyxs(String cServers) {
    return cServers
        .replace("(8 bytes: \"hello, a\")", "(10 bytes: \"hello, a\\0b\")")
        .replace("TRANSFORM(flag 2) -> RPC: Success, flag FALSE, blob of 5 bytes",
            "TRANSFORM(flag 2) -> RPC: Server can't decode arguments")
        .replace("NEXT_COLOR(3) -> RPC: Success, 1",
            "NEXT_COLOR(3) -> RPC: Server can't decode arguments");
  }

  /** A transcript over UDP: the same but the list, which libtirpc cannot fit in its datagram. */
  private static String overUdp(String overTcp) {
    return overTcp.replace("REVERSE(10000 nodes) -> RPC: Success, 10000 nodes, reversed and doubled",
        "REVERSE(10000 nodes) -> RPC: Can't encode arguments");
  }
}
