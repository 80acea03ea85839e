package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A server's DEBUG lines quote what a peer sent too (a codec's complaint naming the value it
 * refused, a Unix-domain peer's socket path): kept at DEBUG, the log still has one line per line
 * the server writes, whatever the peer chose. Before, only the rate-limited WARN and INFO lines
 * were escaped, and a value with a newline wrote a line of the peer's own. The server runs in a
 * JVM of its own, its logger at DEBUG (this JVM's is set once, at INFO).
 */
class PeerTextInDebugLinesTest {
  private static final int PROGRAM = 0x20000731;
  private static final String FORGED = "2026-12-03 01:00:00 [main] ERROR Forged - written by a peer";
  /** A codec that names the value it refuses, as an application's may. */
  private static final Procedure<String, Void> PICK = new Procedure<>(PROGRAM, 1, 1, "Colours.pick",
      XdrCodecs.of((out, v) -> out.writeString(v, 256), in -> {
        String colour = in.readString(256);
        throw new XdrException("no colour named " + colour);
      }), XdrCodecs.VOID);

  @Test
  @Timeout(60)
  void aValueWithANewlineQuotedAtDebugStaysOneLine() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java,
        "-Dorg.slf4j.simpleLogger.log.org.onyxrpc.server.CallProcessor=debug",
        "-cp", System.getProperty("java.class.path"), PeerTextInDebugLinesTest.class.getName())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine(); // after the server's INFO line
      while (first != null && !first.startsWith("port ")) {
        first = out.readLine();
      }
      assertNotNull(first, "the server did not start");
      List<String> lines = new ArrayList<>();
      try (RawTcpPeer peer = new RawTcpPeer(Integer.parseInt(first.substring(5)))) {
        ByteBuf args = Unpooled.buffer();
        new XdrWriter(args).writeString("red\n" + FORGED, 256);
        byte[] bytes = new byte[args.readableBytes()];
        args.readBytes(bytes);
        peer.sendRecord(RawTcpPeer.call(7, 2, PROGRAM, 1, 1, OpaqueAuth.NONE, bytes));
        assertEquals(RpcStatus.GARBAGE_ARGS, peer.readReply().status());
      }
      // The line is written before the reply is sent; the loop ends there, or with the JVM.
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
        if (line.contains("garbage arguments")) {
          break;
        }
      }
      String garbage = lines.get(lines.size() - 1);
      assertTrue(garbage.endsWith("no colour named red\\x0a" + FORGED), String.join("\n", lines));
      assertTrue(lines.stream().noneMatch(line -> line.startsWith(FORGED)), String.join("\n", lines));
    } finally {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  public static void main(String[] args) throws Exception {
    RpcServer server = RpcServer.builder().port(0)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(PICK, (colour, ctx) -> null).build())
        .build().start();
    System.out.println("port " + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
