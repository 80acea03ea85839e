package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A UDP socket's thread ({@link UdpIo#DEDICATED_THREAD}, direct executor) encodes its replies'
 * results with one {@link XdrWriter}, started over for each reply, not a writer made per reply
 * (as {@link DedicatedTcpReplyWriterTest} for a TCP connection's); a reply made on another thread
 * gets a writer of its own; and after a result that failed half way, the next reply is whole.
 */
class DedicatedUdpReplyWriterTest {
  private static final int PROGRAM = 0x2000077b;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // MAYBE: sent once, as a retransmission's reply would be one more writer.
  private final WatchedReplyWriters service =
      new WatchedReplyWriters(PROGRAM, CallSemantics.MAYBE);

  @AfterEach
  void stopCompleter() {
    service.close();
  }

  private RpcServer server() {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD)
        .directExecutor()
        .addService(service.definition())
        .build();
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .transport(Transport.UDP).ioStrategy(IoStrategy.CALLER_RUNS).timeout(TIMEOUT).build();
  }

  @Test
  void aSocketsThreadEncodesEveryReplyWithOneWriter() throws Exception {
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(WatchedReplyWriters.filled(i % 7), client.call(service.bytes, i % 7));
      }
    }
    assertEquals(1, service.writers(), "writers used for 100 replies made on the socket's thread");
  }

  @Test
  void theRepliesAfterAFailedEncodingAreWhole() throws Exception {
    int[] sizes = {3, 5, 0, 8, 1, 1000, 7};
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      for (int n : sizes) {
        assertArrayEquals(WatchedReplyWriters.filled(n), client.call(service.bytes, n), n + " bytes");
      }
      RpcException failed = assertThrows(RpcException.class, () -> client.call(service.bytes, WatchedReplyWriters.UNENCODABLE));
      assertEquals(RpcStatus.SYSTEM_ERR, failed.status());
      for (int n : sizes) {
        assertArrayEquals(WatchedReplyWriters.filled(n), client.call(service.bytes, n), n + " bytes after a failed encoding");
      }
    }
    assertEquals(1, service.writers(), "writers used on the socket's thread");
  }

  @Test
  void aReplyMadeOnAnotherThreadHasAWriterOfItsOwn() throws Exception {
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      assertArrayEquals(WatchedReplyWriters.filled(4), client.call(service.bytes, 4));
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(WatchedReplyWriters.filled(i), client.call(service.elsewhere, i));
        assertArrayEquals(WatchedReplyWriters.filled(i + 1), client.call(service.bytes, i + 1));
      }
    }
    // The socket's one, and one for each reply made elsewhere.
    assertEquals(11, service.writers(), "writers used");
  }
}
