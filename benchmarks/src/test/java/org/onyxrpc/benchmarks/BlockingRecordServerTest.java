package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing the socket baseline's server ends its connections too: before, it only stopped
 * accepting, and each connection's thread served on until its client went away.
 */
@Timeout(20)
class BlockingRecordServerTest {
  @Test
  void closingTheServerClosesItsConnections() throws IOException {
    BlockingRecordServer server = new BlockingRecordServer();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.getOutputStream().write(Wire.call());
      s.getInputStream().readNBytes(Wire.reply().length); // served: its thread runs
      server.close();
      s.setSoTimeout(5_000); // a connection left open fails the read instead of hanging
      assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
    }
  }
}
