package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * Sizes at and past a queue's mq_msgsize over a raw socket, with length fields that lie; a peer
 * that never reads its (large) replies; waiting receives on many connections of one address whose
 * peer vanishes.
 */
class RawLimitsTest {
  private static final InetAddress A = LoopbackHosts.host("127.0.0.2");
  private static final InetAddress B = LoopbackHosts.host("127.0.0.3");

  private static OpenRequest create(String name, long maxMessages, long messageSize) {
    return new OpenRequest(name, Access.READ_WRITE, true, false, 0666, maxMessages, messageSize, false);
  }

  private static OpenRequest open(String name) {
    return new OpenRequest(name, Access.READ_WRITE, false, false, 0, 0, 0, false);
  }

  private static MqErrno errno(Reply<?> reply) {
    return reply.exception() == null ? null : ((MqFailure) reply.exception()).errno();
  }

  /** A send's arguments by hand: its opaque says {@code claimed} bytes and {@code present} follow. */
  private static byte[] lyingSend(long handle, int claimed, int present) {
    ByteBuffer args = ByteBuffer.allocate(8 + 8 + 4 + 4 + (present + 3) / 4 * 4 + 8);
    args.putLong(handle).putLong(7).putInt(0).putInt(claimed);
    args.position(args.position() + (present + 3) / 4 * 4);
    args.putLong(0);
    return args.array();
  }

  @Test
  void aSendOfExactlyTheMessageSizeGoesInOneMoreIsRefusedAndLyingLengthsAreGarbage() throws Exception {
    int size = 64;
    try (QueueFixture f = new QueueFixture();
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(f.server.port(), B, 1000)) {
      long h = a.call(MessageQueueServiceV1.OPEN, create("/size", 4, size)).value().handle();
      assertNull(a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 1), 0, new byte[size], 0)).exception());
      assertEquals(MqErrno.EMSGSIZE,
          errno(a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 2), 0, new byte[size + 1], 0))));
      // The whole of the protocol's largest message, all of it there: past mq_msgsize, refused.
      assertEquals(MqErrno.EMSGSIZE,
          errno(a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 3), 0, new byte[1 << 20], 0))));

      // Lengths that claim more than the record holds: past mq_msgsize, the protocol's limit, and
      // int's; each a GARBAGE_ARGS, the connection still serving.
      for (int claimed : new int[] {size + 1, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE, -1}) {
        a.sendBytes(MessageQueueServiceV1.SEND, lyingSend(h, claimed, 8));
        assertEquals(RpcStatus.GARBAGE_ARGS, a.readStatus(), "claimed " + claimed);
      }
      // Exactly mq_msgsize claimed, a byte short.
      a.sendBytes(MessageQueueServiceV1.SEND, lyingSend(h, size, size - 4));
      assertEquals(RpcStatus.GARBAGE_ARGS, a.readStatus());

      assertEquals(1, f.awaitStats("/size", s -> true).depth(), "only the message of exactly mq_msgsize got in");
      long theirs = b.call(MessageQueueServiceV1.OPEN, open("/size")).value().handle();
      assertEquals(size, b.call(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(theirs, 1), 0)).value().message().length);
      assertNull(a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 4), 0, new byte[1], 0)).exception(),
          "the liar's connection still serves");
    }
  }

  /**
   * A receive asked again for the same receipt gets the same message: a call of some 60 bytes
   * asks for a reply of up to 1 MiB, as often as the peer writes it. A peer that never reads them
   * is closed once the server's budget for unread replies is spent, and another client's call
   * goes on; the server held at most two replies past the budget meanwhile. Replies made on mq's
   * thread are charged as they are handed over; before, the budget was charged as calls finished,
   * after their replies were queued, and 19 MiB and 94 MiB were seen held for this peer against
   * 16 MiB. The budget lets one reply past it; a second may pass for a moment while the I/O
   * thread's count takes over a reply's charge just before the reply is queued.
   */
  @Test
  void aPeerThatNeverReadsItsLargeRepliesIsClosedAndOthersGoOn() throws Exception {
    int size = 1 << 20;
    QueueServer queues = QueueServer.builder().build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxBufferedBytes(16L << 20).addService(queues.service()).build().start();
    try (QueueFixture f = new QueueFixture(queues, server);
        RawQueueClient a = new RawQueueClient(server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(server.port(), B, 1000)) {
      long h = a.call(MessageQueueServiceV1.OPEN, create("/big", 2, size)).value().handle();
      assertNull(a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 1), 0, new byte[size], 0)).exception());
      a.peer().timeout(60_000);
      boolean closed = false;
      // 200 MiB of replies asked for; the server may hold 16 MiB of them.
      for (int i = 0; i < 200 && !closed; i++) {
        try {
          a.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(h, 2), 0));
        } catch (java.io.IOException e) {
          closed = true; // the server closed it: the write was reset
        }
      }
      assertTrue(closed || readUntilClosed(a), "the non-reader was closed");
      // Its reservation given back with its connection, the message goes to another client.
      f.awaitStats("/big", s -> s.reserved() == 0);
      long theirs = b.call(MessageQueueServiceV1.OPEN, open("/big")).value().handle();
      assertEquals(size, b.call(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(theirs, 1), 0)).value().message().length);
      long slack = 2 * (size + 1024L) + (64 << 10); // two replies, and Netty's count of its queues
      long peak = ServerInternals.unreadReplyBytesPeak(server);
      assertTrue(peak <= (16L << 20) + slack, "held " + peak + " bytes of unread replies against 16 MiB");
    }
  }

  /** Reads replies until the server closes the connection: true, or false if it stays open. */
  private static boolean readUntilClosed(RawQueueClient client) {
    try {
      while (true) {
        client.peer().readRecord();
      }
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (java.io.IOException closed) { // end of stream, or reset
      return true;
    }
  }

  /**
   * One address's waiting receives, one per connection, stand first in line; its peer vanishes
   * (its connections reset, or closed): the waits are ended, and the next message goes to the live
   * receiver of another address that waited behind them.
   */
  @ParameterizedTest(name = "reset {0}")
  @ValueSource(booleans = {false, true})
  void waitsOnManyConnectionsOfAVanishedPeerAreFreed(boolean reset) throws Exception {
    int connections = 8;
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxWaitersPerQueue(2 * connections).build());
        RawQueueClient live = new RawQueueClient(f.server.port(), B, 1000)) {
      long mine = live.call(MessageQueueServiceV1.OPEN, create("/line", 4, 8)).value().handle();
      List<RawQueueClient> gone = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          RawQueueClient c = new RawQueueClient(f.server.port(), A, 1000);
          gone.add(c);
          long h = c.call(MessageQueueServiceV1.OPEN, open("/line")).value().handle();
          c.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(h, 1), -1));
        }
        f.awaitStats("/line", s -> s.waitingReceivers() == connections);
        live.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(mine, 1), -1));
        f.awaitStats("/line", s -> s.waitingReceivers() == connections + 1);
        for (RawQueueClient c : gone) {
          if (reset) {
            c.peer().reset();
          } else {
            c.close();
          }
        }
        f.awaitStats("/line", s -> s.waitingReceivers() == 1);
      } finally {
        for (RawQueueClient c : gone) {
          c.close();
        }
      }
      try (RawQueueClient sender = new RawQueueClient(f.server.port(), B, 1000)) {
        long h = sender.call(MessageQueueServiceV1.OPEN, open("/line")).value().handle();
        assertNull(sender.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 1), 0, new byte[] {5}, 0)).exception());
      }
      live.peer().timeout(20_000);
      assertArrayEquals(new byte[] {5}, live.read(MessageQueueServiceV1.RECEIVE).value().message());
      QueueStats after = f.awaitStats("/line", s -> s.waitingReceivers() == 0);
      assertEquals(1, after.reserved(), "reserved for the live receiver, none for a gone one");
    }
  }
}
