package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;
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
 * One thread making blocking {@link AddProgram#ADD} calls with an Onyx client against the C
 * reference server ({@code server=c}: rpcgen's dispatcher on libtirpc, {@link CServer}, started
 * for the trial and stopped after it) or, for the same client over the same transport, against
 * the Onyx server ({@code server=onyx}: TCP and UDP, handlers inline on the I/O thread, UDP on
 * its socket's own thread).
 *
 * <p>{@code client}: {@code tcp-caller-runs} and {@code udp-caller-runs} (the sync
 * configuration: the caller does its own I/O), {@code tcp-event-loop} and {@code udp-event-loop}
 * (the default); {@code tcp-socket} and {@code udp-socket}, not Onyx, are the JVM's floor: the
 * same bytes from one blocking JDK socket ({@link BlockingCaller}); {@code tcp-socket-deadline}
 * and {@code udp-socket-deadline} the same socket with a read timeout, the floor of a JDK client
 * that can give up on a silent peer, as Onyx's must. The C client's side of the
 * same comparison (C → C, C → Onyx, C → JVM) is timed by the C client itself:
 * {@link CClientRuns}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CPeerSyncCall {
  /** Who answers: the C server or the Onyx server. */
  @Param({"c", "onyx"})
  public String server;

  /** The Onyx client's transport and I/O strategy. */
  @Param({"tcp-caller-runs", "tcp-event-loop", "udp-caller-runs", "udp-event-loop", "tcp-socket",
      "udp-socket", "tcp-socket-deadline", "udp-socket-deadline"})
  public String client;

  /** The deadline-honouring floor's read timeout: never reached, only armed, as a call's is. */
  private static final int SOCKET_TIMEOUT_MILLIS = 25_000;

  private AutoCloseable serverInstance;
  private RpcClient rpcClient;
  private BlockingCaller socketClient;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Transport transport = client.startsWith("udp-") ? Transport.UDP : Transport.TCP;
    IoStrategy io = switch (client) {
      case "tcp-caller-runs", "udp-caller-runs" -> IoStrategy.CALLER_RUNS;
      case "tcp-event-loop", "udp-event-loop" -> IoStrategy.EVENT_LOOP;
      case "tcp-socket", "udp-socket", "tcp-socket-deadline", "udp-socket-deadline" -> null;
      default -> throw new IllegalArgumentException("client=" + client);
    };
    int port;
    if (!server.equals("c") && !server.equals("onyx")) {
      throw new IllegalArgumentException("server=" + server);
    }
    if (server.equals("c")) {
      CServer c = CServer.start(CPeers.build());
      serverInstance = c;
      port = transport == Transport.TCP ? c.tcpPort() : c.udpPort();
    } else {
      RpcServer onyx = OnyxPeers.startServer(Transport.TCP, Transport.UDP);
      serverInstance = onyx;
      port = onyx.port();
    }
    try {
      if (io == null) {
        socketClient = socketClient(transport, port, client.endsWith("-deadline"));
      } else {
        rpcClient = OnyxPeers.connectedClient(transport, port, io);
      }
    } catch (RuntimeException | IOException e) {
      serverInstance.close(); // JMH runs no teardown after a failed setup
      throw e;
    }
  }

  private static BlockingCaller socketClient(Transport transport, int port, boolean deadline)
      throws IOException {
    if (transport == Transport.TCP) {
      return deadline ? BlockingCaller.tcp(port, SOCKET_TIMEOUT_MILLIS) : BlockingCaller.tcp(port);
    }
    return deadline ? BlockingCaller.udp(port, SOCKET_TIMEOUT_MILLIS) : BlockingCaller.udp(port);
  }

  @TearDown(Level.Trial)
  @SuppressWarnings("try") // the server is held for its closing only, after the client's
  public void stop() throws Exception {
    try (AutoCloseable s = serverInstance) {
      (rpcClient != null ? rpcClient : socketClient).close();
    }
  }

  @Benchmark
  public int call() throws IOException {
    return rpcClient != null
        ? rpcClient.call(AddProgram.ADD, AddProgram.ARGS) : socketClient.call();
  }
}
