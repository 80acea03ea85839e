package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
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
  /** Results of this length fail to encode: the call is answered SYSTEM_ERR. */
  private static final int UNENCODABLE = 13;

  /** The writers the results were encoded with, by identity. */
  private final Set<XdrWriter> writers = Collections.newSetFromMap(new IdentityHashMap<>());
  private final XdrCodec<byte[]> watched = XdrCodecs.of(
      (out, bytes) -> {
        synchronized (writers) {
          writers.add(out);
        }
        if (bytes.length == UNENCODABLE) {
          out.writeInt(1); // half of a result, then the codec fails
          throw new IllegalStateException("not encodable");
        }
        XdrCodecs.OPAQUE.encode(out, bytes);
      },
      XdrCodecs.OPAQUE::decode);
  private final Procedure<Integer, byte[]> bytes =
      new Procedure<>(PROGRAM, 1, 1, "Writers.bytes", XdrCodecs.INT, watched,
          CallSemantics.MAYBE); // sent once: a retransmission's reply would be one more
  private final Procedure<Integer, byte[]> elsewhere =
      new Procedure<>(PROGRAM, 1, 2, "Writers.elsewhere", XdrCodecs.INT, watched,
          CallSemantics.MAYBE);

  private final ExecutorService completer = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopCompleter() {
    completer.shutdownNow();
  }

  private RpcServer server() {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD)
        .directExecutor()
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(bytes, (n, ctx) -> filled(n))
            // Completed by another thread once the server waits for it: its reply is made
            // there, not on the connection's.
            .asyncProcedure(elsewhere, (n, ctx) -> {
              CompletableFuture<byte[]> result = new CompletableFuture<>();
              completer.execute(() -> {
                Await.until(() -> result.getNumberOfDependents() > 0);
                result.complete(filled(n));
              });
              return result;
            })
            .build())
        .build();
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .transport(Transport.UDP).ioStrategy(IoStrategy.CALLER_RUNS).timeout(TIMEOUT).build();
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + n);
    }
    return b;
  }

  @Test
  void aSocketsThreadEncodesEveryReplyWithOneWriter() throws Exception {
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(filled(i % 7), client.call(bytes, i % 7));
      }
    }
    assertEquals(1, writers.size(), "writers used for 100 replies made on the socket's thread");
  }

  @Test
  void theRepliesAfterAFailedEncodingAreWhole() throws Exception {
    int[] sizes = {3, 5, 0, 8, 1, 1000, 7};
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      for (int n : sizes) {
        assertArrayEquals(filled(n), client.call(bytes, n), n + " bytes");
      }
      RpcException failed = assertThrows(RpcException.class, () -> client.call(bytes, UNENCODABLE));
      assertEquals(RpcStatus.SYSTEM_ERR, failed.status());
      for (int n : sizes) {
        assertArrayEquals(filled(n), client.call(bytes, n), n + " bytes after a failed encoding");
      }
    }
    assertEquals(1, writers.size(), "writers used on the socket's thread");
  }

  @Test
  void aReplyMadeOnAnotherThreadHasAWriterOfItsOwn() throws Exception {
    try (RpcServer server = server().start(); RpcClient client = client(server.port())) {
      assertArrayEquals(filled(4), client.call(bytes, 4));
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(filled(i), client.call(elsewhere, i));
        assertArrayEquals(filled(i + 1), client.call(bytes, i + 1));
      }
    }
    // The socket's one, and one for each reply made elsewhere.
    assertEquals(11, writers.size(), "writers used");
  }
}
