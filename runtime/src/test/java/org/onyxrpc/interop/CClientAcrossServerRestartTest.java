package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A C client that keeps one TCP CLIENT handle while the Onyx server it calls is closed and
 * started again on the same port (interop_client's "restart" mode). libtirpc's clnt_vc does not
 * reconnect: the call that finds the old connection closed is RPC_CANTRECV (its request is
 * written, the old server's end of the connection is read), and the later ones on that handle
 * RPC_CANTSEND once the closed socket's reset has come back for that write (RPC_CANTRECV if a
 * call is written before it comes, so either is accepted for them); none of them reaches the
 * restarted server, and a new handle does. No call is reported sent-and-lost as success.
 */
class CClientAcrossServerRestartTest {
  @TempDir Path work;
  private NativeInterop c;

  @AfterEach
  void stopCClient() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  @Test
  void anOldHandleFailsAfterTheRestartAndANewOneIsAnswered() throws Exception {
    c = NativeInterop.build(work);
    int port;
    Process client;
    BufferedReader out;
    String before;
    try (RpcServer first = server(0)) {
      port = first.port();
      client = c.startInteractiveClient(port, "restart");
      out = new BufferedReader(
          new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      before = out.readLine() + "\n" + out.readLine() + "\n";
    }
    try (RpcServer second = server(port); OutputStream in = client.getOutputStream()) {
      in.write("restarted\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      String after = out.lines().map(line -> line + "\n").collect(Collectors.joining());
      NativeCommands.finish(client, "C client restart", work.resolve("client-tcp-restart.stderr"));
      assertEquals("""
          NEXT_COLOR(RED) before the restart -> RPC: Success
          restart the server
          NEXT_COLOR(RED) 1 after it on the old handle -> RPC: Unable to receive
          NEXT_COLOR(RED) 2 after it on the old handle -> RPC: Unable to send
          NEXT_COLOR(RED) 3 after it on the old handle -> RPC: Unable to send
          NEXT_COLOR(RED) on a new handle -> RPC: Success, GREEN
          """, sendOrReceiveAsSend(before + after));
    }
  }

  /** The later old-handle calls with RPC_CANTRECV read as RPC_CANTSEND (see the class's note). */
  private static String sendOrReceiveAsSend(String transcript) {
    String later = transcript;
    for (String call : new String[] {"2", "3"}) {
      String prefix = "NEXT_COLOR(RED) " + call + " after it on the old handle -> RPC: Unable to ";
      later = later.replace(prefix + "receive\n", prefix + "send\n");
    }
    return later;
  }

  private static RpcServer server(int port) throws Exception {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .transports(Transport.TCP)
        .addService(InteropService.definition())
        .build()
        .start();
  }
}
