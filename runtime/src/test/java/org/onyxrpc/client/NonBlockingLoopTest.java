package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Retransmissions run on the client's event loop, and must never block it. Before, a caller-runs
 * client retransmitting to a server that stopped reading blocked its (shared) event loop in a
 * write for up to the client's whole timeout, and every client on that loop stalled with it.
 */
class NonBlockingLoopTest {
  private ServerSocket deaf;
  private final List<Socket> accepted = new ArrayList<>();
  private RpcServer live;
  private EventLoopGroup oneLoop;

  @BeforeEach
  void start() throws Exception {
    deaf = new ServerSocket();
    deaf.setReceiveBufferSize(4096);
    deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::answerThePingThenStopReading, "deaf-after-ping");
    t.setDaemon(true);
    t.start();
    live = RpcServer.builder().addService(new TestService().definition()).build().start();
    oneLoop = NettyTransports.newEventLoopGroup(1, "test-one-loop");
  }

  /** A plain (untagged) server: answers the NULL ping, then reads nothing more. */
  private void answerThePingThenStopReading() {
    try {
      Socket s = deaf.accept();
      accepted.add(s);
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
      in.readFully(record);
      int xid = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record))).xid();
      ByteBuf reply = Unpooled.buffer();
      reply.writeInt(0);
      RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(xid, RpcStatus.SUCCESS));
      reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
      s.getOutputStream().write(reply.array(), reply.arrayOffset(), reply.readableBytes());
      s.getOutputStream().flush();
    } catch (IOException e) {
      // the test is over
    }
  }

  @AfterEach
  void stop() throws IOException {
    live.close();
    deaf.close();
    for (Socket s : accepted) {
      s.close();
    }
    oneLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Test
  void aClientRetransmittingToAServerThatStoppedReadingStallsNoOtherClientOnItsLoop() throws Exception {
    CallOptions atLeastOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)
        .withDeadline(Duration.ofSeconds(20)).withAttemptTimeout(Duration.ofMillis(20));
    try (RpcClient stalled = RpcClient.builder().address("127.0.0.1", deaf.getLocalPort())
            .ioStrategy(IoStrategy.CALLER_RUNS).eventLoopGroup(oneLoop).build();
        RpcClient other = RpcClient.builder().address("127.0.0.1", live.port())
            .ioStrategy(IoStrategy.EVENT_LOOP).eventLoopGroup(oneLoop)
            .timeout(Duration.ofSeconds(10)).build()) {
      List<CompletableFuture<byte[]>> retransmitting = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        retransmitting.add(stalled.callAsync(TestService.BLOB, new byte[1 << 20], atLeastOnce));
      }
      // Meanwhile the loop they retransmit on serves another client, call after call.
      int i = 0;
      while (i < 50 || stalled.stats().retransmissions() < 8) {
        assertEquals(i + 1, other.call(TestService.ADD, new TestService.Pair(i, 1)));
        i++;
      }
      for (CompletableFuture<byte[]> call : retransmitting) {
        assertEquals(false, call.isDone() && !call.isCompletedExceptionally());
      }
    }
  }
}
