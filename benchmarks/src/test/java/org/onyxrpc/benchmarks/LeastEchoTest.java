package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * The least echo ends of both designs speak ONC RPC as Onyx does: each echoes the very bytes
 * through the other, through Onyx's server and for Onyx's client, padding included.
 */
@Timeout(30)
class LeastEchoTest {
  private static final byte[] DATA = new byte[AddProgram.MAX_ECHO];
  private static final byte[] ODD = new byte[1001]; // not a multiple of 4: padded both ways

  static {
    new Random(1).nextBytes(DATA);
    System.arraycopy(DATA, 0, ODD, 0, ODD.length);
  }

  @ParameterizedTest
  @EnumSource(LeastEchoDesign.class)
  void leastClientAndServerEchoTheBytes(LeastEchoDesign design) throws Exception {
    try (LeastEchoServer server = new LeastEchoServer(design, DATA.length);
        LeastEchoClient client = new LeastEchoClient(design, server.port(), DATA.length)) {
      for (byte[] data : new byte[][] {DATA, ODD, new byte[0], DATA}) {
        assertArrayEquals(data, client.echo(data));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LeastEchoDesign.class)
  void leastClientCallsOnyxsServer(LeastEchoDesign design) throws Exception {
    try (RpcServer server = OnyxPeers.startServer();
        LeastEchoClient client = new LeastEchoClient(design, server.port(), DATA.length)) {
      assertArrayEquals(DATA, client.echo(DATA));
      assertArrayEquals(ODD, client.echo(ODD));
    }
  }

  @ParameterizedTest
  @EnumSource(LeastEchoDesign.class)
  void onyxsClientCallsTheLeastServer(LeastEchoDesign design) throws Exception {
    try (LeastEchoServer server = new LeastEchoServer(design, DATA.length);
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .ioStrategy(IoStrategy.CALLER_RUNS).build()) {
      assertArrayEquals(DATA, client.call(AddProgram.ECHO, DATA));
      assertArrayEquals(ODD, client.call(AddProgram.ECHO, ODD));
    }
  }

  @ParameterizedTest
  @EnumSource(LeastEchoDesign.class)
  void aLargerEchoThanTheServerTakesClosesTheConnection(LeastEchoDesign design) throws Exception {
    try (LeastEchoServer server = new LeastEchoServer(design, ODD.length);
        LeastEchoClient client = new LeastEchoClient(design, server.port(), DATA.length)) {
      assertThrows(IOException.class, () -> client.echo(Arrays.copyOf(DATA, ODD.length + 4)));
    }
  }
}
