package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A C client's UDP retransmission (libtirpc's clnt_dg, resending after 1 s, then 2, ...) that
 * reaches an Onyx server after the duplicate request cache pushed out the entry of its call: the
 * first reply is lost (a relay between them drops it), other calls from the same address fill
 * the cache, and only then does the relay let the resends through. README's "When the server
 * cannot know": an untagged call says nothing of being a retransmission, so the server keeps its
 * key once its entry is pushed out, and answers the resend SYSTEM_ERR ("outcome unknown"),
 * counted as such, without running it again; the client's next call runs. (Without the other
 * calls the resend is answered with the saved reply, "COUNT_RUNS(2500) -> 1".) The same when the
 * cache's bytes cannot hold the reply at all.
 */
class CClientRetransmissionAfterEvictionTest {
  @TempDir static Path work;
  private static NativeInterop c;
  private RpcServer server;
  private Relay relay;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.build(work);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (relay != null) {
      relay.close();
    }
    OnyxServers.stop(server, c);
  }

  @Test
  void aResendWhoseEntryWasPushedOutIsToldOutcomeUnknownAndNotRun() throws Exception {
    // Four entries, two for one address: the relay's and the flooding client's (both 127.0.0.1).
    resendAfterItsReplyWasLost(4, 1 << 20, 8);
  }

  /**
   * The same with a cache of 8 bytes, too small for any reply: the entry goes as its reply is
   * made, and the resend is refused as one pushed out.
   */
  @Test
  void aResendWhoseReplyWasTooLargeToKeepIsToldOutcomeUnknownAndNotRun() throws Exception {
    resendAfterItsReplyWasLost(4, 8, 0);
  }

  private void resendAfterItsReplyWasLost(int maxEntries, long maxBytes, int otherCalls)
      throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP).duplicateRequestCache(maxEntries, maxBytes, Duration.ofMinutes(5))
        .addService(InteropService.definition()).build().start();
    relay = new Relay(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    Process client = c.startClient("evicted", "udp", relay.port(), List.of("retransmit"));

    assertTrue(relay.replyDropped.await(60, TimeUnit.SECONDS), "COUNT_RUNS(2500)'s reply");
    try (RpcClient flood = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).timeout(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(10)).build()) {
      for (int i = 0; i < otherCalls; i++) {
        assertEquals("hello, f" + i, flood.call(InteropProgram.GREET, "f" + i));
      }
    }
    relay.release();

    assertEquals("COUNT_RUNS(2500) -> RPC: Remote system error\nCOUNT_RUNS(0) -> 2\n",
        c.finishClient(client, "evicted"), "the resend not run again; the next call ran");
    // One refusal per resend the relay held: one, or more if the flood outlasted a resend's wait.
    assertTrue(server.stats().outcomeUnknownReplies() >= 1, server.stats()::toString);
    assertEquals(0, server.stats().duplicatesReplayed(), server.stats()::toString);
  }

  /**
   * Forwards a C client's datagrams to the server and the server's back, except the first reply,
   * which it drops; from then on it holds the client's datagrams until {@link #release}.
   */
  private static final class Relay implements AutoCloseable {
    final CountDownLatch replyDropped = new CountDownLatch(1);
    private final DatagramSocket front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    private final DatagramSocket back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    private final List<byte[]> held = new ArrayList<>();
    private SocketAddress clientAddress;
    private boolean holding;
    private boolean dropped;

    Relay(SocketAddress server) throws IOException {
      back.connect(server);
      start("relay-in", () -> pump(front, true));
      start("relay-out", () -> pump(back, false));
    }

    private static void start(String name, Runnable pump) {
      Thread thread = new Thread(pump, name);
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return front.getLocalPort();
    }

    private void pump(DatagramSocket from, boolean fromClient) {
      byte[] buffer = new byte[65536];
      try {
        while (true) {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          from.receive(packet);
          byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
          synchronized (this) {
            if (fromClient) {
              clientAddress = packet.getSocketAddress();
              if (holding) {
                held.add(data);
              } else {
                back.send(new DatagramPacket(data, data.length));
              }
            } else if (!dropped) {
              dropped = true;
              holding = true;
              replyDropped.countDown();
            } else {
              front.send(new DatagramPacket(data, data.length, clientAddress));
            }
          }
        }
      } catch (IOException closed) {
        // closed by the test
      }
    }

    synchronized void release() throws IOException {
      holding = false;
      for (byte[] data : held) {
        back.send(new DatagramPacket(data, data.length));
      }
      held.clear();
    }

    @Override
    public void close() {
      front.close();
      back.close();
    }
  }
}
