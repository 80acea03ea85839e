package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
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
 * One thread making blocking Onyx calls over loopback TCP: with {@code io=CALLER_RUNS} the caller
 * writes its call and reads its reply itself; with {@code EVENT_LOOP} it hands the call to the
 * client's event loop and is woken with the reply. The server runs the handler inline on its I/O
 * thread. Compare
 * with {@link SocketPingPong#sync} (same bytes, blocking sockets) and {@link NettyPingPong#sync}.
 *
 * <p>{@code server=onyx-dedicated} is the benchmark proper for issue 11's target: the Onyx server
 * in the mode documented for callers that make one blocking call at a time, a thread per TCP
 * connection ({@link org.onyxrpc.server.TcpIo#DEDICATED_THREAD}), as the socket baseline's
 * server. {@code server=onyx} is the same server with its default event loop, which pays an
 * epoll wait per call beside the read and the write. {@code server=blocking} is a diagnostic: the
 * Onyx client against the socket baseline's {@link BlockingRecordServer}, which with
 * {@code SocketPingPong server=onyx} splits the gap to the socket baseline between client and
 * server. {@code server=onyx-dedicated-apart} is the same server in a JVM of its own ({@link
 * ServerApart}): the pair without the JIT profiles client and server share in one JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnyxSyncCall {
  /**
   * Who answers: the Onyx server with its event loop, the Onyx server with a thread per TCP
   * connection, or the blocking socket baseline server; {@code -apart}, in a JVM of its own.
   */
  @Param({"onyx", "blocking", "onyx-dedicated"}) // -apart only when named: a diagnostic
  public String server;

  /** Which threads do the client's I/O: the caller ({@code CALLER_RUNS}) or an event loop. */
  @Param({"CALLER_RUNS", "EVENT_LOOP"})
  public IoStrategy io;

  /**
   * How long the client's sync caller looks for its reply before it sleeps for it, in microseconds
   * ({@link org.onyxrpc.client.RpcClientBuilder#pollBeforeWaiting}); {@code default}, the
   * builder's own.
   */
  @Param({"default"})
  public String poll;

  private AutoCloseable serverInstance;
  private RpcClient client;

  @Setup(Level.Trial)
  public void start() throws IOException {
    int port;
    switch (server) {
      case "onyx", "onyx-dedicated" -> {
        RpcServer onyx = server.equals("onyx")
            ? OnyxPeers.startServer() : OnyxPeers.startDedicatedTcpServer();
        serverInstance = onyx;
        port = onyx.port();
      }
      case "blocking" -> {
        BlockingRecordServer blocking = new BlockingRecordServer();
        serverInstance = blocking;
        port = blocking.port();
      }
      case "onyx-dedicated-apart", "blocking-apart" -> {
        ServerApart apart = new ServerApart(server.substring(0, server.length() - 6));
        serverInstance = apart;
        port = apart.port();
      }
      default -> throw new IllegalArgumentException(server);
    }
    client = OnyxPeers.connectedClient(port, io,
        poll.equals("default") ? null : Duration.ofNanos(Long.parseLong(poll) * 1_000));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    client.close();
    serverInstance.close();
  }

  @Benchmark
  public int call() {
    return client.call(AddProgram.ADD, AddProgram.ARGS);
  }
}
