package org.onyxrpc.benchmarks;

import io.grpc.stub.ClientCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.rmi.RemoteException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.dcache.oncrpc4j.xdr.XdrOpaque;
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
 * Bulk: one thread echoing {@code size} bytes, one call at a time; the score is calls per second,
 * so payload MiB/s each way = score × size / 2^20. Every peer returns a fresh or reused copy of
 * the bytes to the caller:
 *
 * <ul>
 *   <li>{@code onyx}: {@link AddProgram#ECHO}, byte[] in and out on a {@code CALLER_RUNS} client
 *       (the caller reads its own reply); the server hands a slice of the received record back
 *       ({@link AddProgram#ECHO_ZERO_COPY}); {@code onyx-event-loop}: the same with the client's
 *       default {@code EVENT_LOOP} I/O; {@code onyx-dedicated}: the {@code onyx} client against
 *       the Onyx server with a thread per TCP connection
 *       ({@link org.onyxrpc.server.TcpIo#DEDICATED_THREAD}), the server mode documented for
 *       callers that make one blocking call at a time (issue 11 judges its target on it);
 *   <li>{@code onyx-buffers}: the {@code onyx} client calling {@link AddProgram#ECHO_ZERO_COPY},
 *       Netty buffers in and out: the argument a direct buffer, joined to the call by reference;
 *       the result a slice of the reply's record ({@code XdrReader.readOpaqueSlice}), released
 *       after each call. No copy and no zeroing of the payload on the client's side, where byte[]
 *       costs a copy in and a new zeroed array out;
 *   <li>{@code socket}: baseline, the same call and reply records over blocking sockets against
 *       {@link BlockingRecordServer}, read into a reused array;
 *   <li>{@code grpc}: {@link GrpcPeers#ECHO}, byte[] marshaller, blocking stub;
 *   <li>{@code rmi}: {@link RmiPeers.Bench#echo}, the array serialized both ways;
 *   <li>{@code thrift}: {@link ThriftPeers#echo}, {@code binary} in and out; the result is a view
 *       of the reply's frame, which the transport reads into a new array;
 *   <li>{@code oncrpc4j}: {@link Oncrpc4jPeers#echo}, the very call and reply records of
 *       {@code onyx}, {@code XdrOpaque} in and out, its blocking call;
 *   <li>{@code onyx-to-c}, {@code onyx-event-loop-to-c}: the {@code onyx} and
 *       {@code onyx-event-loop} clients against the C reference server ({@link CServer}: rpcgen
 *       and libtirpc, which sends a large reply in 64 KiB record fragments). The C client's
 *       figures (C → C, C → Onyx) come from {@link CClientRuns}.
 * </ul>
 *
 * <p>Every server sends back the bytes it received, and setup checks the length of one echo.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Echo {
  @Param({"onyx", "onyx-dedicated", "onyx-event-loop", "onyx-buffers", "socket", "grpc", "rmi",
      "thrift", "oncrpc4j", "onyx-to-c", "onyx-event-loop-to-c"})
  public String peer;

  @Param({"1024", "65536", "1048576"})
  public int size;

  private Peer echo;

  @Setup(Level.Trial)
  public void start() throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    echo = switch (peer) {
      case "onyx" -> new OnyxEcho(OnyxPeers.startServer(), data, IoStrategy.CALLER_RUNS);
      case "onyx-dedicated" ->
          new OnyxEcho(OnyxPeers.startDedicatedTcpServer(), data, IoStrategy.CALLER_RUNS);
      case "onyx-event-loop" -> new OnyxEcho(OnyxPeers.startServer(), data, IoStrategy.EVENT_LOOP);
      case "onyx-buffers" -> new OnyxBufferEcho(data);
      case "socket" -> new SocketEcho(data);
      case "grpc" -> new GrpcEcho(data);
      case "rmi" -> rmi(data);
      case "thrift" -> thrift(data);
      case "oncrpc4j" -> oncrpc4j(data);
      case "onyx-to-c" -> cServer(data, IoStrategy.CALLER_RUNS);
      case "onyx-event-loop-to-c" -> cServer(data, IoStrategy.EVENT_LOOP);
      default -> throw new IllegalArgumentException(peer);
    };
    if (echo.echo() != size) {
      throw new IllegalStateException(peer + " echoed a different length");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    echo.close();
  }

  @Benchmark
  public int echo() throws Exception {
    return echo.echo();
  }

  /** Echoes the payload once and returns how many bytes came back. */
  @FunctionalInterface
  private interface EchoCall {
    int echo() throws Exception;
  }

  /** One connected peer, closed after the trial. */
  private interface Peer extends EchoCall, Closeable {}

  private static Peer rmi(byte[] data) throws RemoteException {
    RmiPeers rmi = new RmiPeers();
    return new OnPeers(() -> rmi.stub.echo(data).length, rmi::close);
  }

  private static Peer thrift(byte[] data) throws TException, InterruptedException {
    ThriftPeers thrift = new ThriftPeers();
    ByteBuffer buffer = ByteBuffer.wrap(data); // writeBinary reads it without moving its position
    return new OnPeers(() -> thrift.echo(buffer).remaining(), thrift::close);
  }

  private static Peer oncrpc4j(byte[] data) throws IOException {
    Oncrpc4jPeers oncrpc4j = new Oncrpc4jPeers();
    XdrOpaque args = new XdrOpaque(data);
    return new OnPeers(() -> oncrpc4j.echo(args).length, oncrpc4j::close);
  }

  private static Peer cServer(byte[] data, IoStrategy io) throws Exception {
    CServer server = CServer.start(CPeers.build());
    try {
      RpcClient client = OnyxPeers.connectedClient(server.tcpPort(), io);
      return new OnPeers(() -> client.call(AddProgram.ECHO, data).length, () -> {
        try (server) {
          client.close();
        }
      });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A peer whose echo is one call of a {@code *Peers} object, closed with it. */
  private record OnPeers(EchoCall call, Closeable peers) implements Peer {
    @Override
    public int echo() throws Exception {
      return call.echo();
    }

    @Override
    public void close() throws IOException {
      peers.close();
    }
  }

  /** An Onyx client of {@code server}, which it closes with itself. */
  private static final class OnyxEcho implements Peer {
    private final RpcServer server;
    private final RpcClient client;
    private final byte[] data;

    OnyxEcho(RpcServer server, byte[] data, IoStrategy io) {
      this.server = server;
      this.data = data;
      try {
        this.client = OnyxPeers.connectedClient(server.port(), io);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }

    @Override
    public int echo() {
      return client.call(AddProgram.ECHO, data).length;
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  /** {@link OnyxEcho}'s client and server, Netty buffers in and out instead of byte[]. */
  private static final class OnyxBufferEcho implements Peer {
    private final RpcServer server = OnyxPeers.startServer();
    private final RpcClient client;
    private final ByteBuf data;

    OnyxBufferEcho(byte[] data) throws IOException {
      this.data = Unpooled.directBuffer(data.length).writeBytes(data);
      this.client = OnyxPeers.connectedClient(server.port(), IoStrategy.CALLER_RUNS);
    }

    @Override
    public int echo() {
      return AddProgram.echoBuffers(client, data);
    }

    @Override
    public void close() {
      client.close();
      server.close();
      data.release();
    }
  }

  private static final class SocketEcho implements Peer {
    private final BlockingRecordServer server = new BlockingRecordServer();
    private final Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] call;
    private final byte[] reply;
    private int xid;

    SocketEcho(byte[] data) throws IOException {
      socket.setTcpNoDelay(true);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
      out = socket.getOutputStream();
      call = Wire.echoCall(data);
      reply = new byte[Wire.REPLY_HEADER_BYTES + call.length];
    }

    @Override
    public int echo() throws IOException {
      Wire.exchange(out, in, call, ++xid, reply);
      return Wire.getInt(reply, Wire.REPLY_HEADER_BYTES);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      server.close();
    }
  }

  private static final class GrpcEcho implements Peer {
    private final GrpcPeers peers = new GrpcPeers();
    private final byte[] data;

    GrpcEcho(byte[] data) throws IOException {
      this.data = data;
    }

    @Override
    public int echo() {
      return ClientCalls.blockingUnaryCall(peers.channel, GrpcPeers.ECHO, io.grpc.CallOptions.DEFAULT, data)
          .length;
    }

    @Override
    public void close() {
      peers.close();
    }
  }
}
