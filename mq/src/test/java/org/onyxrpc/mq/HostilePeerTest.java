package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.onyxrpc.testing.LoopbackHosts;

/**
 * Attacks on the queue server from hand-written clients on raw sockets, from several loopback
 * addresses (127.0.0.2 and 127.0.0.3 look like other hosts): what one client can take is its
 * share, and the others' calls go on.
 */
class HostilePeerTest {
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

  @Test
  void handlesAreCountedPerClientAddressAndInTotal() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxHandlesPerClient(8).maxHandles(12).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(f.server.port(), B, 1000)) {
      List<Long> mine = new ArrayList<>();
      mine.add(a.call(MessageQueueServiceV1.OPEN, create("/h", 4, 8)).value().handle());
      for (int i = 1; i < 8; i++) {
        mine.add(a.call(MessageQueueServiceV1.OPEN, open("/h")).value().handle());
      }
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, open("/h"))));
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, create("/x", 4, 8))));
      assertEquals(List.of("/h"), f.queues.stats().stream().map(QueueStats::name).toList(),
          "a refused open creates no queue");

      // Another address still opens, up to what is left of the server's total.
      for (int i = 0; i < 4; i++) {
        assertNull(b.call(MessageQueueServiceV1.OPEN, open("/h")).exception());
      }
      assertEquals(MqErrno.ENFILE, errno(b.call(MessageQueueServiceV1.OPEN, open("/h"))));

      // A closed handle is given back to its client.
      assertNull(a.call(MessageQueueServiceV1.CLOSE, mine.get(0)).exception());
      assertNull(a.call(MessageQueueServiceV1.OPEN, open("/h")).exception());
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, open("/h"))));
    }
  }

  @Test
  void waitingSendsHoldABoundedShareAndOtherClientsKeepSendingLargeMessages() throws Exception {
    int size = 256 * 1024;
    QueueServer queues = QueueServer.builder()
        .maxWaitingSendBytesPerClient(8L * size).maxWaitingSendBytes(12L * size).build();
    // The RPC server counts a waiting send's arguments until it is answered: 8 MiB in all here.
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .maxDecodedBytesInFlight(8L << 20).addService(queues.service()).build().start();
    try (QueueFixture f = new QueueFixture(queues, server);
        RawQueueClient a = new RawQueueClient(server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(server.port(), B, 1000)) {
      long full = a.call(MessageQueueServiceV1.OPEN, create("/full", 1, size)).value().handle();
      assertNull(a.call(MessageQueueServiceV1.SEND,
          new SendRequest(new Receipt(full, 0), 0, new byte[size], 0)).exception());

      // 20 sends that wait without end: the first 8 wait, the others are refused at once. All 20
      // (5 MiB) fit in what one address may hold of the server's 8 MiB in flight (half, then a
      // quarter: 6 MiB) however late the refusals come; 30 did not, and on a busy machine a send
      // decoded before enough refusals had gone out was SYSTEM_ERR.
      for (int i = 1; i <= 20; i++) {
        a.send(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(full, i), 0, new byte[size], -1));
      }
      for (int i = 0; i < 12; i++) {
        assertEquals(MqErrno.EAGAIN, errno(a.read(MessageQueueServiceV1.SEND)));
      }
      assertEquals(8, f.awaitStats("/full", s -> s.waitingSenders() == 8).waitingSenders());

      // Another address may still wait on the same queue, up to what is left of the total.
      long theirs = b.call(MessageQueueServiceV1.OPEN, open("/full")).value().handle();
      for (int i = 1; i <= 5; i++) {
        b.send(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(theirs, i), 0, new byte[size], -1));
      }
      assertEquals(MqErrno.EAGAIN, errno(b.read(MessageQueueServiceV1.SEND)), "the server's total");
      f.awaitStats("/full", s -> s.waitingSenders() == 12);

      // A well-behaved client's large message still gets through.
      RpcClient c = f.client(1000, 1000);
      try (MessageQueue q = MessageQueues.open(c, "/other", OpenOptions.create(0600, QueueAttributes.of(2, 1 << 20)))) {
        q.send(new byte[1 << 20], 1);
        assertEquals(1 << 20, q.tryReceive().message().length);
      }
    }
  }

  @Test
  void oneClientTakesAtMostHalfOfAQueuesWaitingPlaces() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxWaitersPerQueue(4).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(f.server.port(), B, 1000)) {
      long mine = a.call(MessageQueueServiceV1.OPEN, create("/line", 4, 8)).value().handle();
      long theirs = b.call(MessageQueueServiceV1.OPEN, open("/line")).value().handle();
      for (int i = 1; i <= 3; i++) {
        a.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(mine, i), -1));
      }
      assertEquals(MqErrno.EAGAIN, errno(a.read(MessageQueueServiceV1.RECEIVE)), "its half is 2");
      for (int i = 1; i <= 3; i++) {
        b.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(theirs, i), -1));
      }
      assertEquals(MqErrno.EAGAIN, errno(b.read(MessageQueueServiceV1.RECEIVE)), "the queue's 4 are taken");
      f.awaitStats("/line", s -> s.waitingReceivers() == 4);

      // A message for the first receiver gives its place back to its client.
      assertNull(b.call(MessageQueueServiceV1.SEND,
          new SendRequest(new Receipt(theirs, 9), 0, new byte[1], 0)).exception());
      assertEquals(1, a.read(MessageQueueServiceV1.RECEIVE).value().message().length);
      a.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(mine, 4), -1));
      f.awaitStats("/line", s -> s.waitingReceivers() == 4);
    }
  }

  /**
   * A client that vanishes has its parked calls ended at once (GoneCallers) and its handle closed
   * when the handle's lease ends, not before. The lease is measured on the test's clock, which
   * stands still until the test moves it: before, on the real clock with a 2 s lease, a loaded
   * machine could let the lease pass before a look, and the test could not say the handle was
   * still open at the lease's last instant.
   */
  @Test
  void aClientThatVanishesGetsItsShareBackWhenItsHandleLeaseEnds() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    AtomicLong now = new AtomicLong();
    QueueServer queues = QueueServer.builder().handleLease(lease).nanoTime(now::get)
        .maxWaitingSendBytesPerClient(4).build();
    try (QueueFixture f = new QueueFixture(queues)) {
      try (RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
        long h = a.call(MessageQueueServiceV1.OPEN, create("/gone", 1, 8)).value().handle();
        a.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, 0), 0, new byte[4], 0));
        for (int i = 1; i <= 4; i++) {
          a.send(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, i), 0, new byte[1], -1));
        }
        f.awaitStats("/gone", s -> s.waitingSenders() == 4);
      } // vanishes: its waiting calls end, its handle stays open until its lease ends

      f.awaitStats("/gone", s -> s.waitingSenders() == 0);
      now.addAndGet(lease.toNanos()); // a whole lease, not more: the handle is still open
      queues.sweepHandles().get();
      assertEquals(1, f.awaitStats("/gone", s -> true).openHandles(), "open until its lease ends");
      now.incrementAndGet();
      queues.sweepHandles().get();
      assertEquals(0, f.awaitStats("/gone", s -> true).openHandles(), "closed once it has ended");
      try (RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
        long h = a.call(MessageQueueServiceV1.OPEN, open("/gone")).value().handle();
        for (int i = 1; i <= 4; i++) {
          a.send(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(h, i), 0, new byte[1], -1));
        }
        assertEquals(4, f.awaitStats("/gone", s -> s.waitingSenders() == 4).waitingSenders(), "its share is back");
      }
    }
  }

  @Test
  void oneClientCreatesAtMostHalfOfTheQueuesAndOfTheirBytes() throws Exception {
    // Before, one client created all 8 and, its handles closed, kept every other client at
    // ENOSPC: a queue stays until its owner unlinks it.
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxQueues(8).maxTotalBytes(10_000).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000);
        RawQueueClient b = new RawQueueClient(f.server.port(), B, 1000)) {
      List<Long> mine = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        mine.add(a.call(MessageQueueServiceV1.OPEN, create("/a" + i, 1, 8)).value().handle());
      }
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, create("/a4", 1, 8))));
      for (long h : mine) {
        assertNull(a.call(MessageQueueServiceV1.CLOSE, h).exception());
      }
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, create("/a4", 1, 8))),
          "closing its handles leaves its queues, and so its count, as they were");
      for (int i = 0; i < 3; i++) {
        assertNull(b.call(MessageQueueServiceV1.OPEN, create("/b" + i, 1, 8)).exception());
      }
      // Bytes: half of 10,000 per client, whatever the count; a place is its bytes and 320 more.
      assertEquals(MqErrno.EMFILE, errno(b.call(MessageQueueServiceV1.OPEN, create("/big", 13, 10))),
          "3 × (8 + 320) bytes taken and 13 × (10 + 320) more is past B's 5,000");
      assertNull(b.call(MessageQueueServiceV1.OPEN, create("/big", 12, 10)).exception());

      // An unlinked queue, once destroyed, is given back to the client that created it.
      assertNull(a.call(MessageQueueServiceV1.UNLINK, "/a0").exception());
      assertNull(a.call(MessageQueueServiceV1.OPEN, create("/a4", 1, 8)).exception());
      assertEquals(8, f.queues.stats().size());
    }
  }

  @Test
  void tinyMessagesAreChargedWhatTheyHoldOfTheHeapNotOnlyTheirBytes() throws Exception {
    // A message holds about 60 bytes of heap beyond its own, and some 300 more while it is
    // reserved. Before, only messageSize was charged: a queue of 65,536 one-byte messages took
    // 64 KiB of a 1 MiB server's capacity and 3.5 MiB of its heap once full (20 MiB with its
    // messages reserved), and one client's 128 such queues half a GiB of heap.
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxTotalBytes(1 << 20).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
      assertEquals(MqErrno.ENOSPC, errno(a.call(MessageQueueServiceV1.OPEN, create("/tiny", 65_536, 1))),
          "65,536 × (1 + 320) bytes is more than the server's 1 MiB");
      assertEquals(MqErrno.EMFILE, errno(a.call(MessageQueueServiceV1.OPEN, create("/tiny", 1_700, 1))),
          "1,700 × (1 + 320) bytes is past the 512 KiB one client may take");
      assertNull(a.call(MessageQueueServiceV1.OPEN, create("/tiny", 1_600, 1)).exception());
    }
  }

  @Test
  void datagramsAreRefusedForTheirSourceCanBeForged() throws Exception {
    try (QueueFixture f = new QueueFixture(); DatagramSocket udp = new DatagramSocket(0, A)) {
      ByteBuf args = Unpooled.buffer();
      OpenRequest.CODEC.encode(new XdrWriter(args), create("/blind", 4, 8));
      byte[] bytes = new byte[args.readableBytes()];
      args.readBytes(bytes);
      args.release();
      byte[] call = RawTcpPeer.call(7, 2, MessageQueueServiceV1.PROGRAM, MessageQueueServiceV1.VERSION,
          MessageQueueServiceV1.OPEN.number(), new AuthSys(0, "forged", 0, 0, new int[0]).toOpaqueAuth(), bytes);
      udp.send(new DatagramPacket(call, call.length, InetAddress.getLoopbackAddress(), f.server.port()));
      udp.setSoTimeout(5_000);
      DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
      udp.receive(reply);
      ReplyHeader header = RpcMessages.readReply(
          new XdrReader(Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength())));
      assertEquals(RpcStatus.AUTH_ERROR, header.status());
      assertEquals(AuthStatus.AUTH_TOOWEAK, header.authStatus());
      assertEquals(List.of(), f.queues.stats(), "no queue created");
    }
  }

  @Test
  void absurdAttributesAreRefusedWithoutAllocatingOrOverflowing() throws Exception {
    try (QueueFixture f = new QueueFixture(QueueServer.builder().maxMessages(Long.MAX_VALUE).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
      int max = Integer.MAX_VALUE;
      assertEquals(MqErrno.EINVAL, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", max, max))));
      assertEquals(MqErrno.EINVAL, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", -1, 8))));
      assertEquals(MqErrno.EINVAL, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", 1, 0))));
      assertEquals(MqErrno.ENOSPC, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", 65_536, 1 << 20))),
          "64 GiB of capacity is more than the server's 1 GiB");
      // 2^62 × 2^20 is 0 in a long: it must not make a queue without bound.
      assertEquals(MqErrno.ENOSPC, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", 1L << 62, 1 << 20))));
      assertEquals(MqErrno.ENOSPC, errno(a.call(MessageQueueServiceV1.OPEN, create("/q", Long.MAX_VALUE, 1 << 20))));
      assertEquals(List.of(), f.queues.stats());
    }
  }

  /** An open whose name is {@code length} bytes of 'q', encoded by hand; the reply's status. */
  private static RpcStatus openNamed(RawQueueClient client, int length) throws IOException {
    ByteBuffer args = ByteBuffer.allocate(4 + (length + 3) / 4 * 4 + 4 * 5 + 8 * 2);
    args.putInt(length).put(("/" + "q".repeat(length - 1)).getBytes(StandardCharsets.US_ASCII));
    args.position(4 + (length + 3) / 4 * 4);
    args.putInt(Access.READ_WRITE.value()).putInt(1).putInt(0).putInt(0600).putLong(2).putLong(8).putInt(0);
    client.sendBytes(MessageQueueServiceV1.OPEN, args.array());
    return client.readStatus();
  }

  @Test
  void aNameOfBytesThatAreNotUtf8IsRefusedWithoutSendingThemBack() throws Exception {
    // "/\xff" then an escape sequence that clears a terminal, then 300 more bytes that are not
    // UTF-8: the refusal quoted them raw, so a client printing its detail printed the caller's
    // bytes (here the escape sequence), and so would any log of the refusal.
    byte[] name = new byte[256];
    byte[] head = {'/', (byte) 0xff, 0x1b, '[', '2', 'J'};
    System.arraycopy(head, 0, name, 0, head.length);
    Arrays.fill(name, head.length, name.length, (byte) 0xfe);
    ByteBuffer args = ByteBuffer.allocate(4 + name.length + 4 * 5 + 8 * 2);
    args.putInt(name.length).put(name);
    args.putInt(Access.READ_WRITE.value()).putInt(1).putInt(0).putInt(0600).putLong(2).putLong(8).putInt(0);
    try (QueueFixture f = new QueueFixture(QueueServer.builder().build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
      a.sendBytes(MessageQueueServiceV1.OPEN, args.array());
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(a.peer().readRecord()));
      assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(in).status());
      Reply<?> reply = MessageQueueServiceV1.OPEN.result().decode(in);
      MqFailure refused = (MqFailure) reply.exception();
      assertEquals(MqErrno.EINVAL, refused.errno());
      assertTrue(refused.detail().chars().noneMatch(c -> c < 0x20 || c == 0x7f || Character.isSurrogate((char) c)),
          "the caller's bytes quoted raw: " + refused.detail());
      assertTrue(refused.detail().contains("/\\xff\\x1b[2J\\xfe"), refused.detail());
      int bytes = refused.detail().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes <= 400, bytes + " bytes of detail: " + refused.detail());
      // And the server goes on.
      assertNull(a.call(MessageQueueServiceV1.OPEN, create("/ok", 2, 8)).exception());
    }
  }

  @Test
  void hostileNamesAreNamesAndEveryLogStaysInTheDataDirectory(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    String longest = "/" + "é".repeat(127) + "x"; // '/' and 255 bytes of UTF-8, the longest name there is
    try (QueueFixture f = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        RawQueueClient a = new RawQueueClient(f.server.port(), A, 1000)) {
      for (String name : List.of("/..", "/.", longest)) {
        Reply<?> r = a.call(MessageQueueServiceV1.OPEN,
            new OpenRequest(name, Access.READ_WRITE, true, true, 0600, 2, 8, true));
        assertNull(r.exception(), name + ": " + r.exception());
      }
      assertEquals(MqErrno.EACCES, errno(a.call(MessageQueueServiceV1.OPEN, create("/../x", 2, 8))),
          "another '/', as Linux");
      // A NUL ends a C string: no name (QueueNames).
      for (String name : List.of("../x", "/", "", "/\u0000", "/..\u0000x")) {
        assertEquals(MqErrno.EINVAL, errno(a.call(MessageQueueServiceV1.OPEN, create(name, 2, 8))), name);
      }
      // Longer names, which the encoder refuses, written by hand: 257 bytes, then a 1 MiB length.
      assertEquals(RpcStatus.GARBAGE_ARGS, openNamed(a, 257));
      assertEquals(RpcStatus.GARBAGE_ARGS, openNamed(a, 1 << 20));
      try (Stream<Path> outside = Files.list(dir)) {
        assertEquals(List.of(data), outside.toList(), "nothing written beside the data directory");
      }
      try (Stream<Path> logs = Files.list(data)) {
        List<Path> files = logs.toList();
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.stream().allMatch(p -> p.getFileName().toString().length() <= 255), files.toString());
      }
    }
    // And each comes back, by the name in its log.
    try (QueueServer again = QueueServer.builder().dataDirectory(data).build()) {
      assertEquals(3, again.stats().size());
      assertTrue(again.stats().stream().anyMatch(s -> s.name().equals(longest)));
    }
  }
}
