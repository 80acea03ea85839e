package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A server that answers every call, its NULL procedure too, later than the client's attempt
 * timeout, untagged (a C server on a slow or loaded machine, or far away): a retransmitting call
 * is answered by whichever transmission's reply comes, so it must get there, though the tagged
 * NULL ping that goes before it is answered only after that ping's own deadline. Before, each
 * ping was given the attempt timeout and no more, its late answer was dropped, and the call waited
 * for the next ping, forever: it ended TIMEOUT, never sent.
 */
class SlowToAnswerServerTest {
  private static final Duration ATTEMPT = Duration.ofMillis(200);
  /** Each reply goes this long after its call: more than an attempt timeout, less than two. */
  private static final long DELAY_MS = 300;

  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private DatagramSocket socket;

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    later.shutdownNow();
  }

  private int startServer() throws IOException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "slow-server");
    t.setDaemon(true);
    t.start();
    return socket.getLocalPort();
  }

  /** Answers each call with a success whose result is a string, "hello, slow", DELAY_MS later. */
  private void serve() {
    byte[] buffer = new byte[65536];
    try {
      while (true) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        CallHeader call = RpcMessages.readCall(new XdrReader(
            Unpooled.wrappedBuffer(Arrays.copyOf(packet.getData(), packet.getLength()))));
        ByteBuf reply = Unpooled.buffer();
        XdrWriter out = new XdrWriter(reply);
        RpcMessages.writeReply(out, ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
        if (call.procedure() != 0) {
          out.writeString("hello, slow", 64);
        }
        byte[] bytes = Arrays.copyOf(reply.array(), reply.readableBytes());
        SocketAddress to = packet.getSocketAddress();
        later.schedule(() -> send(bytes, to), DELAY_MS, TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      // the test is over
    }
  }

  private void send(byte[] bytes, SocketAddress to) {
    try {
      socket.send(new DatagramPacket(bytes, bytes.length, to));
    } catch (IOException e) {
      // the test is over
    }
  }

  @Test
  void aRetransmittingCallToAServerSlowerThanTheAttemptTimeoutIsAnswered() throws Exception {
    int port = startServer();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port)
        .transport(Transport.UDP).timeout(Duration.ofSeconds(10)).attemptTimeout(ATTEMPT).build()) {
      assertEquals("hello, slow", client.call(InteropProgram.GREET, "x",
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)), client.stats()::toString);
      assertEquals("hello, slow", client.call(InteropProgram.GREET, "x",
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE)), client.stats()::toString);
    }
  }
}
