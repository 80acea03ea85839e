package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A port another process holds is named with the system's words, as the JDK's sockets say them.
 * Before, with Netty's native transport, a user's server (and {@code onyx directory}) failed with
 * "cannot listen on TCP localhost:1111: bind(..) failed with error(-98): Address already in use".
 */
class PortInUseTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aTcpPortInUseSaysSo() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 1, LOOPBACK)) {
      int port = holder.getLocalPort();
      IOException e = assertThrows(IOException.class, () -> start(port, Transport.TCP));
      assertEquals("cannot listen on TCP " + LOOPBACK.getHostName() + ":" + port + ": Address already in use",
          e.getMessage());
    }
  }

  @Test
  void aUdpPortInUseSaysSo() throws Exception {
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      int port = holder.getLocalPort();
      IOException e = assertThrows(IOException.class, () -> start(port, Transport.UDP));
      assertEquals("cannot listen on UDP " + LOOPBACK.getHostName() + ":" + port + ": Address already in use",
          e.getMessage());
    }
  }

  private static void start(int port, Transport transport) throws IOException {
    RpcServer.builder().bind(LOOPBACK, port).transports(transport).directory(Directory.none())
        .addService(new TestService().definition()).build().start().close();
  }
}
