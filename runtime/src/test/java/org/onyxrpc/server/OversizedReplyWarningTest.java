package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The WARN line of a UDP reply over the server's {@code maxDatagramBytes}, when that bound was
 * raised past rpcgen's datagram of 8800 bytes: it says that rpcgen's C clients read no reply
 * over 8800 bytes, and what holds a server to them ({@code maxDatagramBytes(8800)}) or avoids it
 * (TCP). A reply between 8800 bytes and the bound goes out without a word, as the server cannot
 * know its client's buffer, so this line is where such a user learns it. Before, the line said
 * only "reply of 9544 bytes to /127.0.0.1:... is over the maximum datagram of 9000: sending
 * SYSTEM_ERR". Held to 8800 itself, the line is as it was.
 */
class OversizedReplyWarningTest {
  private static final int PROGRAM = 0x20000A47;
  private static final Procedure<Integer, byte[]> FILL =
      new Procedure<>(PROGRAM, 1, 1, "Fill.fill", XdrCodecs.INT, XdrCodecs.OPAQUE);

  @Test
  void aBoundPastRpcgensDatagramNamesItInTheWarning() throws Exception {
    List<String> lines = warned(9000);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("is over the maximum datagram of 9000: sending SYSTEM_ERR; rpcgen's C clients"
        + " read no reply over 8800 bytes (RPC: Can't decode result, though the call ran): maxDatagramBytes(8800)"
        + " answers them SYSTEM_ERR in its place, or send large results over TCP"), lines.get(0));
  }

  @Test
  void aServerHeldToRpcgensDatagramWarnsAsBefore() throws Exception {
    List<String> lines = warned(8800);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith("is over the maximum datagram of 8800: sending SYSTEM_ERR"), lines.get(0));
  }

  /** The WARN lines of a server bound to {@code maxDatagramBytes} that a result of 9,500 bytes meets. */
  private static List<String> warned(int maxDatagramBytes) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.UDP).maxDatagramBytes(maxDatagramBytes)
            .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(FILL, (n, ctx) -> new byte[n]).build())
            .build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).transport(Transport.UDP)
            .build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(FILL, 9500));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
    } finally {
      System.setErr(stderr);
    }
    return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("is over the maximum datagram")).toList();
  }
}
