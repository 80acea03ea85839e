package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * The server's whole TCP decode path (guard, record reassembly, call header, authentication,
 * arguments of recursive, union and list types, procedures, replies) on any byte stream. The
 * property: every reply is a well-formed RFC 5531 reply, every call slot and buffered byte is
 * given back, whether the connection survives or is closed. Corpus: {@code
 * src/test/resources/org/onyxrpc/server/ServerDecodeFuzzTestInputs}.
 */
@ExtendWith(LeakDetection.class)
class ServerDecodeFuzzTest {
  /** A union as generated code reads one: a discriminant, then the arm. */
  sealed interface Shape {
    record Leaf(int value) implements Shape {}

    record Branch(HostileDecodeTest.Tree tree) implements Shape {}

    XdrCodec<Shape> CODEC = XdrCodecs.of((out, s) -> { }, in -> switch (in.readInt()) {
      case 0 -> new Leaf(in.readInt());
      case 1 -> new Branch(in.read(HostileDecodeTest.Tree.CODEC));
      default -> throw new XdrException("no arm for the discriminant");
    });
  }

  private static final int PROGRAM = 0x20000201;
  private static final Procedure<Shape, Integer> SHAPE =
      new Procedure<>(PROGRAM, 1, 5, "Hostile.shape", Shape.CODEC, XdrCodecs.INT);
  private static final Procedure<List<String>, Integer> WORDS = new Procedure<>(PROGRAM, 1, 6,
      "Hostile.words", XdrCodecs.list(XdrCodecs.string(32), 1024, 4), XdrCodecs.INT);

  private static final ServiceDefinition SERVICE = ServiceDefinition.builder(PROGRAM, 1)
      .procedure(HostileDecodeTest.PICKY, (p, ctx) -> p.value())
      .procedure(HostileDecodeTest.TREE, (t, ctx) -> t.depth())
      .procedure(HostileDecodeTest.LIST, (n, ctx) -> n)
      .procedure(SHAPE, (s, ctx) -> s instanceof Shape.Leaf leaf ? leaf.value() : -1)
      .procedure(WORDS, (w, ctx) -> w.size())
      .build();

  private static final ServerConfig CONFIG = new ServerConfig(new InetSocketAddress(0),
      Set.of(Transport.TCP), List.of(SERVICE), ExecutorChoice.DIRECT, null,
      Authenticator.DEFAULT, Directory.none(), Duration.ofSeconds(30), Map.of(), 1, UdpIo.EVENT_LOOP, TcpIo.EVENT_LOOP,
      Duration.ZERO,
      1 << 16, 64,
      RpcServerBuilder.DEFAULT_MAX_DATAGRAM_BYTES, 16, 8, 16, Duration.ofSeconds(30), 1 << 16,
      Duration.ofMinutes(5), 1 << 20, new XdrLimits(32, 1 << 20), 4 << 20, Duration.ofSeconds(1),
      DrcBounds.NONE, false, null, null, null, List.of());

  @FuzzTest
  void serverPath(byte[] stream) {
    ServerState state = new ServerState();
    ByteBudget budget = new ByteBudget(CONFIG.maxBufferedBytes());
    ByteBudget decoded = new ByteBudget(CONFIG.maxDecodedBytesInFlight());
    CallProcessor processor = new CallProcessor(new Registry(CONFIG.services()),
        CONFIG.authenticator(), null, null, 1, CONFIG.decodeLimits(), decoded,
        new DecodedShares(CONFIG.maxDecodedBytesInFlight()), null, null);
    RecordDecoder decoder = new RecordDecoder(CONFIG.maxRecordBytes(), CONFIG.maxFragmentsPerRecord());
    TcpConnection connection = new TcpConnection(processor, state, CONFIG.maxConcurrentCallsPerConnection(),
        org.onyxrpc.transport.Transport.TCP, null, CONFIG.shutdownTimeout());
    UnreadReplies unread = new UnreadReplies(CONFIG.maxBufferedBytes(),
        new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE));
    ReceiveGuard guard = new ReceiveGuard(decoder, connection, budget, unread,
        new HandedOverReplies(unread), CONFIG);
    connection.guard(guard);
    EmbeddedChannel channel = new EmbeddedChannel(guard, decoder, connection);
    channel.writeInbound(Unpooled.wrappedBuffer(stream));
    channel.runPendingTasks();
    assertEquals(0, state.inFlight(), "every call slot is given back");
    assertEquals(0, decoded.held(), "every call's decoded bytes are given back");
    ByteBuf replies; // the replies of one read, written together
    while ((replies = channel.readOutbound()) != null) {
      try {
        // Empty only as the write a close waits for, after the replies to a malformed stream's calls.
        assertTrue(replies.isReadable() || !channel.isOpen() && channel.outboundMessages().isEmpty(),
            "no empty write but the last, before the close");
        while (replies.isReadable()) {
          int mark = replies.readInt();
          assertTrue(mark < 0, "one fragment per reply");
          int length = mark & 0x7FFF_FFFF;
          assertTrue(length <= replies.readableBytes(), "whole records only");
          // an RFC 5531 reply, or this throws
          RpcMessages.readReply(new XdrReader(replies.readSlice(length)));
        }
      } finally {
        replies.release();
      }
    }
    channel.finishAndReleaseAll();
    assertEquals(0, budget.held(), "every buffered byte is given back");
    assertEquals(0, unread.held(), "every unread reply's byte is given back");
  }
}
