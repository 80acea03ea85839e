package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.dcache.oncrpc4j.xdr.XdrOpaque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * The peers {@link Echo} added beside Onyx send back the very bytes they received, at the largest
 * size measured (1 MiB: within every library's frame and message limits).
 */
@Timeout(30)
class EchoPeersTest {
  private static final byte[] DATA = random(AddProgram.MAX_ECHO);

  @Test
  void rmi() throws Exception {
    try (RmiPeers rmi = new RmiPeers()) {
      assertArrayEquals(DATA, rmi.stub.echo(DATA));
    }
  }

  @Test
  void thrift() throws Exception {
    try (ThriftPeers thrift = new ThriftPeers()) {
      ByteBuffer echoed = thrift.echo(ByteBuffer.wrap(DATA));
      byte[] bytes = new byte[echoed.remaining()];
      echoed.get(bytes);
      assertArrayEquals(DATA, bytes);
    }
  }

  @Test
  void oncrpc4j() throws Exception {
    try (Oncrpc4jPeers oncrpc4j = new Oncrpc4jPeers()) {
      assertArrayEquals(DATA, oncrpc4j.echo(new XdrOpaque(DATA)));
      byte[] odd = Arrays.copyOf(DATA, 1001); // not a multiple of 4: padded both ways
      assertArrayEquals(odd, oncrpc4j.echo(new XdrOpaque(odd)));
    }
  }

  @Test
  void onyxBuffers() throws Exception {
    ByteBuf data = Unpooled.directBuffer(DATA.length).writeBytes(DATA);
    try (RpcServer server = OnyxPeers.startServer();
        RpcClient client = OnyxPeers.connectedClient(server.port(), IoStrategy.CALLER_RUNS)) {
      ByteBuf first = client.call(AddProgram.ECHO_ZERO_COPY, data);
      // The first result, a slice of its reply's record, still held while the next reply is read.
      ByteBuf second = client.call(AddProgram.ECHO_ZERO_COPY, data);
      assertArrayEquals(DATA, ByteBufUtil.getBytes(first));
      assertArrayEquals(DATA, ByteBufUtil.getBytes(second));
      first.release();
      second.release();
      assertEquals(DATA.length, data.readableBytes()); // the argument is left as it was
    } finally {
      data.release();
    }
  }

  /** {@code Echo peer=onyx-dedicated}: the server with a thread per TCP connection. */
  @Test
  void onyxDedicated() throws Exception {
    try (RpcServer server = OnyxPeers.startDedicatedTcpServer();
        RpcClient client = OnyxPeers.connectedClient(server.port(), IoStrategy.CALLER_RUNS)) {
      assertArrayEquals(DATA, client.call(AddProgram.ECHO, DATA));
      assertArrayEquals(DATA, client.call(AddProgram.ECHO, DATA));
    }
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }
}
