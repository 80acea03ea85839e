package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.server.RpcServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline for {@link OnyxSyncCall}: a blocking socket client ({@link BlockingCaller}) writes the
 * canned call record (xid patched) and reads the reply record on its own thread, against a
 * {@link BlockingRecordServer}; TCP_NODELAY on both ends. The same bytes cross loopback as in an
 * Onyx call, with no thread hand-off on either side: each side's thread sleeps in {@code read}
 * and is woken by the kernel.
 *
 * <p>{@code server=blocking} is the baseline proper. {@code server=onyx} is a diagnostic: the same
 * socket client against the Onyx server, which isolates the server's share of an Onyx call;
 * {@code server=onyx-dedicated} the same against the Onyx server with a thread per TCP connection
 * ({@link org.onyxrpc.server.TcpIo#DEDICATED_THREAD}); {@code -apart}, the server in a JVM of its
 * own ({@link ServerApart}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SocketPingPong {
  /**
   * Who answers: the blocking socket server, the Onyx server (its event loop, or with
   * {@code onyx-dedicated} a thread per TCP connection), or a raw Netty server; {@code -apart}, in
   * a JVM of its own.
   */
  @Param({"blocking", "onyx", "netty", "onyx-dedicated"}) // -apart only when named: a diagnostic
  public String server;

  private AutoCloseable serverInstance;
  private BlockingCaller caller;
  private final byte[] call = Wire.call();
  private int xid;
  private SocketChannel selecting;
  private Selector readable;
  private final ByteBuffer callBuffer = ByteBuffer.allocateDirect(256);
  private final ByteBuffer replyBuffer = ByteBuffer.allocateDirect(256);
  private static final java.util.function.Consumer<SelectionKey> READY = key -> {};

  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    int port;
    if (server.equals("blocking")) {
      BlockingRecordServer blocking = new BlockingRecordServer();
      serverInstance = blocking;
      port = blocking.port();
    } else if (server.equals("netty")) {
      NettyRecordServer netty = new NettyRecordServer();
      serverInstance = netty;
      port = netty.port();
    } else if (server.equals("onyx") || server.equals("onyx-dedicated")) {
      RpcServer onyx = server.equals("onyx")
          ? OnyxPeers.startServer() : OnyxPeers.startDedicatedTcpServer();
      serverInstance = onyx;
      port = onyx.port();
    } else if (server.equals("onyx-dedicated-apart") || server.equals("blocking-apart")) {
      ServerApart apart = new ServerApart(server.substring(0, server.length() - 6));
      serverInstance = apart;
      port = apart.port();
    } else {
      throw new IllegalArgumentException(server);
    }
    selecting = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    selecting.setOption(StandardSocketOptions.TCP_NODELAY, true);
    selecting.configureBlocking(false);
    readable = Selector.open();
    selecting.register(readable, SelectionKey.OP_READ);
    caller = BlockingCaller.tcp(port);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    caller.close();
    readable.close();
    selecting.close();
    serverInstance.close();
  }

  @Benchmark
  public int sync() throws IOException {
    return caller.call();
  }

  /**
   * A diagnostic: the same exchange from a non-blocking channel that waits for its reply in a
   * {@link Selector}, as the caller-runs Onyx client does, and not in a blocking read.
   */
  @Benchmark
  public int selectorSync() throws IOException {
    int id = ++xid;
    Wire.setXid(call, id);
    callBuffer.clear();
    callBuffer.put(call).flip();
    while (callBuffer.hasRemaining()) {
      selecting.write(callBuffer);
    }
    replyBuffer.clear();
    while (true) {
      readable.select(READY, 1000);
      selecting.read(replyBuffer);
      if (replyBuffer.position() >= 4) {
        int length = replyBuffer.getInt(0) & RecordMarking.LENGTH_MASK;
        if (replyBuffer.position() >= 4 + length) {
          return replyBuffer.getInt(length);
        }
      }
    }
  }
}
