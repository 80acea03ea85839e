package org.onyxrpc.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline for the Onyx client and server: a raw Netty client and {@link NettyRecordServer}, on
 * the same epoll/NIO choice as Onyx ({@link NettyTransports}), exchanging the canned
 * {@link Wire} records; the client flushes every call. The methods mirror Onyx's:
 *
 * <ul>
 *   <li>{@link #sync} ~ {@link OnyxSyncCall#call}: the caller writes from its own thread (Netty
 *       queues the write to the event loop) and waits on a future completed by the event loop;
 *   <li>{@link #pipelined64Chained} ~ {@link OnyxPipelined64#chained}: 64 outstanding, each reply
 *       writes the next call from the event loop;
 *   <li>{@link #pipelined64Semaphore} ~ {@link OnyxPipelined64#semaphore}: 64 outstanding, the
 *       caller thread writes under a {@code Semaphore(64)}.
 * </ul>
 *
 * <p>{@link #pipelined64ChainedFlushOnReadComplete} is not a baseline but a what-if: the chained
 * client writing each next call without a flush and flushing once per read, as the Onyx server
 * already does with replies. It shows what flush consolidation in a client is worth here.
 *
 * <p>What the client leaves out, and Onyx does not: XDR encoding and decoding, the table of
 * pending calls keyed by xid, a future per pipelined call, and the per-call timeout timer.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NettyPingPong {
  private static final byte[] CALL = Wire.call();

  private NettyRecordServer server;
  private EventLoopGroup group;
  private Channel channel;
  private final Client client = new Client();

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    server = new NettyRecordServer();
    group = NettyTransports.newEventLoopGroup(1, "netty-baseline-client");
    channel = new Bootstrap()
        .group(group)
        .channel(NettyTransports.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new RecordDecoder(1 << 20), client);
          }
        })
        .connect(InetAddress.getLoopbackAddress(), server.port())
        .sync()
        .channel();
  }

  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    client.window.acquire(OnyxPipelined64.WINDOW);
    client.window.release(OnyxPipelined64.WINDOW);
  }

  @TearDown(Level.Trial)
  public void stop() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    server.close();
  }

  @Benchmark
  @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int sync() throws InterruptedException, ExecutionException {
    CompletableFuture<Integer> reply = new CompletableFuture<>();
    client.mode = Phase.SYNC;
    client.syncReply = reply;
    client.send(channel);
    return reply.get();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(OnyxPipelined64.BATCH)
  public void pipelined64Chained() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(OnyxPipelined64.BATCH);
    client.toIssue.set(OnyxPipelined64.BATCH - OnyxPipelined64.WINDOW);
    client.done = done;
    client.mode = Phase.CHAINED;
    for (int i = 0; i < OnyxPipelined64.WINDOW; i++) {
      client.send(channel);
    }
    done.await();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(OnyxPipelined64.BATCH)
  public void pipelined64ChainedFlushOnReadComplete() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(OnyxPipelined64.BATCH);
    client.toIssue.set(OnyxPipelined64.BATCH - OnyxPipelined64.WINDOW);
    client.done = done;
    client.mode = Phase.CHAINED_FLUSH_ON_READ_COMPLETE;
    for (int i = 0; i < OnyxPipelined64.WINDOW; i++) {
      client.send(channel);
    }
    done.await();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void pipelined64Semaphore() throws InterruptedException {
    client.mode = Phase.SEMAPHORE;
    client.window.acquire();
    client.send(channel);
  }

  private enum Phase { SYNC, CHAINED, CHAINED_FLUSH_ON_READ_COMPLETE, SEMAPHORE }

  /** Writes canned calls and counts replies; one instance per connection. */
  private static final class Client extends ChannelInboundHandlerAdapter {
    final AtomicInteger xids = new AtomicInteger();
    final AtomicInteger toIssue = new AtomicInteger();
    final Semaphore window = new Semaphore(OnyxPipelined64.WINDOW);
    volatile Phase mode = Phase.SYNC;
    volatile CompletableFuture<Integer> syncReply;
    volatile CountDownLatch done;
    private boolean flushPending; // event loop only

    @Override
    public boolean isSharable() {
      return true;
    }

    void send(Channel ch) {
      ch.writeAndFlush(newCall(ch), ch.voidPromise());
    }

    private ByteBuf newCall(Channel ch) {
      ByteBuf call = ch.alloc().ioBuffer(CALL.length).writeBytes(CALL);
      call.setInt(Wire.XID_OFFSET, xids.incrementAndGet());
      return call;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf record = (ByteBuf) msg;
      int result = record.getInt(record.writerIndex() - 4);
      record.release();
      switch (mode) {
        case SYNC -> syncReply.complete(result);
        case CHAINED -> {
          if (toIssue.getAndDecrement() > 0) {
            send(ctx.channel());
          }
          done.countDown();
        }
        case CHAINED_FLUSH_ON_READ_COMPLETE -> {
          if (toIssue.getAndDecrement() > 0) {
            ctx.write(newCall(ctx.channel()), ctx.voidPromise());
            flushPending = true;
          }
          done.countDown();
        }
        case SEMAPHORE -> window.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (flushPending) {
        flushPending = false;
        ctx.flush();
      }
    }
  }
}
