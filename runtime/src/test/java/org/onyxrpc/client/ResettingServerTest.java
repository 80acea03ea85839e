package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * A server that resets (RST) every connection it accepts, at once or once it has read one
 * record: the client makes a bounded number of connections per call (no reconnect loop), keeps
 * no descriptor of the lost ones, and each call's status claims no more than the client knows:
 * UNAVAILABLE when nothing of the call left (the reset came first, or only the NULL ping that
 * goes before a retransmitting call was read), OUTCOME_UNKNOWN when the call itself was read.
 * Deadlines are a minute long, so a call that waited for its deadline would end TIMEOUT.
 */
class ResettingServerTest {
  private static final int CALLS = 10;
  private ServerSocket listener;
  private volatile boolean readFirst;

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  private int serve() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try {
        while (true) {
          try (Socket s = listener.accept()) {
            s.setSoLinger(true, 0); // close sends RST
            if (readFirst) {
              RawTcpPeer.readRecord(new DataInputStream(s.getInputStream()));
            }
          } catch (IOException e) {
            if (listener.isClosed()) {
              return;
            }
          }
        }
      } catch (RuntimeException e) {
        // the test is over
      }
    }, "resetting-server");
    t.setDaemon(true);
    t.start();
    return listener.getLocalPort();
  }

  private static RpcException fails(RpcClient client, CallSemantics semantics) {
    return assertThrows(RpcException.class, () -> client.call(TestService.ADD,
        new TestService.Pair(1, 2), CallOptions.DEFAULT.withSemantics(semantics)));
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void everyCallFailsTruthfullyWithBoundedReconnectsAndNoDescriptorKept(IoStrategy io)
      throws Exception {
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", serve()).ioStrategy(io)
        .timeout(Duration.ofMinutes(1)).attemptTimeout(Duration.ofMillis(100)).build()) {
      fails(client, CallSemantics.AT_MOST_ONCE); // the shared threads and their descriptors
      long descriptors = OpenDescriptors.count();
      int calls = 0;
      for (CallSemantics semantics : CallSemantics.values()) {
        for (int i = 0; i < CALLS; i++, calls++) {
          RpcException e = fails(client, semantics);
          if (semantics == CallSemantics.MAYBE && e.status() == RpcStatus.OUTCOME_UNKNOWN) {
            continue; // written before the reset was seen: it may have been read
          }
          assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        }
      }
      long connects = client.stats().connects();
      assertTrue(connects <= 3L * (calls + 1), connects + " connections for " + (calls + 1) + " calls");
      Await.until(() -> OpenDescriptors.count() <= descriptors);

      readFirst = true; // the call itself is read: it may have run
      for (int i = 0; i < CALLS; i++) {
        RpcException e = fails(client, CallSemantics.MAYBE);
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      }
    }
  }
}
