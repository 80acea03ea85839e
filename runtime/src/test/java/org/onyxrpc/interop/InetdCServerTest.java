package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx client against an rpcgen server written for inetd (rpcgen -I -K 1), started as inetd
 * starts one (inetd_launch.c: the socket on descriptor 0): its main serves that socket, registers
 * with no rpcbind, and closes down after a second with nothing to do. It answers Onyx over TCP
 * and UDP; over UDP, once the client is closed, it exits by itself (status 0), which shows
 * nothing of the client's kept it busy. (Over TCP rpcgen's closedown never ends the server under
 * libtirpc, with or without a client: one started by hand with no caller ran for 12 minutes at
 * -K 5, so there is nothing of Onyx's to see there.)
 */
class InetdCServerTest {
  @TempDir static Path work;
  private static NativeInterop c;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.buildInetdServer(work);
  }

  @AfterEach
  void stop() throws InterruptedException {
    c.stopProcesses();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void anInetdStartedRpcgenServerAnswersOnyx(Transport transport) throws Exception {
    int port = c.startInetdServer(transport.name().toLowerCase(Locale.ROOT));
    Process server = c.lastServer();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofMinutes(1)).build()) {
      assertEquals("hello, inetd", client.call(InteropProgram.GREET, "inetd"));
      assertEquals(Color.BLUE, client.call(InteropProgram.NEXT_COLOR, Color.GREEN));
    }
    if (transport == Transport.UDP) {
      // Closedown: idle at one alarm, gone at the next (rpcgen's closedown exits 0 for UDP).
      assertTrue(server.waitFor(1, TimeUnit.MINUTES), "the idle server did not close down");
      assertEquals(0, server.exitValue());
    }
  }
}
