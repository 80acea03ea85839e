package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.client.ReplyBytes.LAST;
import static org.onyxrpc.client.ReplyBytes.accepted;
import static org.onyxrpc.client.ReplyBytes.ints;
import static org.onyxrpc.client.ReplyBytes.record;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * What a caller-runs connection keeps for large records (the read buffer grown for a 1 MiB reply,
 * the writer's copy of a 1 MiB argument) is let go once the connection has been quiet ({@link
 * QuietRelease}), and kept while large replies keep coming. The server is a socket answering by
 * hand, so that the only direct memory of the unpooled allocator that comes and goes is the
 * client's read buffers, and of the default allocator, besides small buffers, the writer's copy.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QuietReleaseTest {
  private static final int LARGE = 1 << 20;
  private static final Procedure<byte[], byte[]> BIG =
      new Procedure<>(0x20000101, 1, 9, "Test.big", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  private static final Procedure<byte[], byte[]> SMALL =
      new Procedure<>(0x20000101, 1, 10, "Test.small", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  /** Answered with 4 MiB, then the start of a 64-byte record the test dribbles out. */
  private static final Procedure<byte[], byte[]> DRIBBLE =
      new Procedure<>(0x20000101, 1, 11, "Test.dribble", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  /** Never answered: a call outstanding, so that the client reads what comes. */
  private static final Procedure<byte[], byte[]> HANG =
      new Procedure<>(0x20000101, 1, 12, "Test.hang", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  private static final int DRIBBLED = 4 << 20;
  private static final Duration QUIET = Duration.ofNanos(QuietRelease.QUIET_NANOS);
  /** The bytes the server has written to its last connection, and the stream it wrote them to. */
  private static final AtomicLong SENT = new AtomicLong();
  private static volatile DataOutputStream lastOut;
  /** The HANG calls the server has had. */
  private static final AtomicLong HUNG = new AtomicLong();

  private ServerSocket listener;
  private final ManualTimer clock = new ManualTimer();
  private RpcClient client;

  @BeforeEach
  void start() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "quiet-release-server");
    t.setDaemon(true);
    t.start();
    client = clock.timing(RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .ioStrategy(IoStrategy.CALLER_RUNS).timeout(Duration.ofMinutes(1))).build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    listener.close();
  }

  @Test
  void aGrownReadBufferIsLetGoOnceTheConnectionIsQuiet() {
    assertEquals(3, client.call(SMALL, new byte[3]).length);
    assertEquals(0, clock.pending(), "a small call schedules no check");
    assertEquals(LARGE, client.call(BIG, new byte[16]).length);
    long kept = directMemory();

    // The check set at the read that grew the buffer finds the reply's later reads, and looks
    // again a quiet time on; one that finds the read turn held (a background reader still
    // finishing its turn behind the reply) looks again later. So the clock goes on a quiet time
    // at a time until the buffer is let go. Before, the 2 MiB buffer grown for the reply was
    // kept until the next small reply or the close, however long the client sat idle.
    Await.until(() -> {
      clock.advance(QUIET.plusMillis(1));
      return kept - directMemory() >= LARGE - ReadBuffer.USUAL_BYTES; // the usual one back
    });
    assertEquals(0, clock.pending(), "nothing left to check once let go");
    assertEquals(LARGE, client.call(BIG, new byte[16]).length); // grown again as it is needed
  }

  @Test
  void theWritersCopyOfALargeArgumentIsLetGoOnceTheConnectionIsQuiet() {
    assertEquals(3, client.call(SMALL, new byte[3]).length);
    long before = writersMemory();
    // A 1 MiB argument wraps the caller's array: the writer copies its record into direct memory
    // (a buffer of its own, past the allocator's pooled sizes) and keeps that for the next.
    assertEquals(3, client.call(SMALL, new byte[LARGE]).length);
    long kept = writersMemory();
    assertTrue(kept - before >= LARGE, "the copy is kept: " + (kept - before));

    // As the read buffer: let go at a check that finds the connection quiet and its owner free.
    Await.until(() -> {
      clock.advance(QUIET.plusMillis(1));
      return kept - writersMemory() >= LARGE;
    });
    assertEquals(0, clock.pending(), "nothing left to check once let go");
    assertEquals(3, client.call(SMALL, new byte[LARGE]).length); // copied again as it is needed
  }

  @Test
  void theWritersCopyIsKeptWhileLargeArgumentsKeepComing() {
    assertEquals(3, client.call(SMALL, new byte[3]).length);
    long before = writersMemory();
    assertEquals(3, client.call(SMALL, new byte[LARGE]).length);

    // Their replies are small, so the reads alone look quiet: the check that falls due at the
    // second step finds a copy made since the last, and keeps it. Counting bytes read only, it
    // let the copy go, and every quiet time a large call copied into a new one.
    for (int i = 0; i < 4; i++) {
      clock.advance(QUIET.dividedBy(2).plusMillis(1));
      assertTrue(writersMemory() - before >= LARGE, "let go at step " + i);
      assertEquals(3, client.call(SMALL, new byte[LARGE]).length);
    }
  }

  /** The direct memory of the allocator the writer copies into (the reads' is another). */
  private static long writersMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void aGrownReadBufferIsKeptWhileLargeRepliesKeepComing() {
    assertEquals(LARGE, client.call(BIG, new byte[16]).length);
    long kept = directMemory();

    for (int i = 0; i < 3; i++) {
      clock.advance(QUIET.dividedBy(2));
      assertEquals(LARGE, client.call(BIG, new byte[16]).length);
    }

    // Each check found replies read since it was set: the buffer stayed, and the next was set.
    assertEquals(kept, directMemory());
    assertEquals(1, clock.pending());
  }

  @Test
  void aGrownReadBufferIsLetGoWhileAServerDribblesARecordItNeverEnds() throws IOException {
    assertEquals(3, client.call(SMALL, new byte[3]).length);
    long usual = directMemory();
    CallerRunsConnection connection = (CallerRunsConnection) client.connection().join();
    assertEquals(DRIBBLED, client.call(DRIBBLE, new byte[16]).length);
    // The usual buffer replaced by one grown for the reply.
    assertTrue(directMemory() - usual >= DRIBBLED - ReadBuffer.USUAL_BYTES, "grown for the reply");
    // A call outstanding that is never answered: the background reader reads what comes, and
    // holds the read turn only while it reads. (A sync caller waiting would hold it throughout.)
    CompletableFuture<byte[]> outstanding = client.callAsync(HANG, new byte[3]);
    Await.until(() -> HUNG.get() == 1);

    // A byte of the record every 300 ms, each read before the clock moves on, for as long as the record lasts: 60 bytes, 18 s, some 17 checks.
    // Before, each check found a read since it was set, and the grown buffer (holding the
    // record's start) was kept whatever the checks found.
    boolean letGo = false;
    for (int i = 0; i < 60 && !letGo; i++) {
      DataOutputStream out = lastOut;
      synchronized (out) {
        out.write(0);
        out.flush(); // counted in SENT
      }
      if (!Await.within(() -> connection.bytesRead() == SENT.get(), Duration.ofSeconds(5))) {
        throw new AssertionError(i + ": read " + connection.bytesRead() + " of " + SENT.get());
      }
      clock.advance(Duration.ofMillis(300));
      letGo = directMemory() == usual;
    }
    assertTrue(letGo, "kept while dribbled: " + (directMemory() - usual) + " B beyond the usual");
    assertFalse(outstanding.isDone());
  }

  private static long directMemory() {
    return UnpooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        Thread c = new Thread(() -> serve(s), "quiet-release-connection");
        c.setDaemon(true);
        c.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * Answers the NULL ping, SMALL with 3 bytes, BIG with 1 MiB and DRIBBLE with 4 MiB, each in one
   * record, and HANG never; counts what it writes ({@link #SENT}).
   */
  private static void serve(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream())) {
      DataOutputStream out = new DataOutputStream(new FilterOutputStream(s.getOutputStream()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          SENT.addAndGet(len);
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          SENT.incrementAndGet();
        }
      });
      SENT.set(0);
      HUNG.set(0);
      lastOut = out;
      while (true) {
        byte[] call = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(call);
        DataInputStream header = new DataInputStream(new java.io.ByteArrayInputStream(call));
        int xid = header.readInt();
        header.skipBytes(16);
        int procedure = header.readInt();
        if (procedure == HANG.number()) {
          HUNG.incrementAndGet();
          continue;
        }
        synchronized (out) {
          answer(out, xid, procedure);
        }
      }
    } catch (IOException e) {
      // the client closed, or the test is over
    }
  }

  private static void answer(DataOutputStream out, int xid, int procedure) throws IOException {
    if (procedure == 0) {
      out.write(record(accepted(xid, 0)));
    } else if (procedure == SMALL.number()) {
      out.write(record(accepted(xid, 0, 3, 0)));
    } else {
      int size = procedure == DRIBBLE.number() ? DRIBBLED : LARGE;
      byte[] reply = accepted(xid, 0, size);
      out.write(ints(LAST | (reply.length + size)));
      out.write(reply);
      out.write(new byte[size]);
      if (procedure == DRIBBLE.number()) {
        out.write(ints(LAST | 64)); // its 64 bytes come a byte at a time, at the test's pace
      }
    }
    out.flush();
  }
}
