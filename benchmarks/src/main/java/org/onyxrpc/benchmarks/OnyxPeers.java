package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.TcpIo;
import org.onyxrpc.server.UdpIo;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx server running {@link AddProgram} inline on its I/O thread (over UDP, the thread of
 * its UDP socket: {@link UdpIo#DEDICATED_THREAD}), and a client connected to it.
 */
final class OnyxPeers implements AutoCloseable {
  final RpcServer server;
  final RpcClient client;

  OnyxPeers() throws IOException {
    this(IoStrategy.EVENT_LOOP);
  }

  OnyxPeers(IoStrategy io) throws IOException {
    server = startServer();
    client = connectedClient(server.port(), io);
  }

  /** The same peers with {@code clientSide} and {@code serverSide} intercepting every call. */
  OnyxPeers(IoStrategy io, ClientInterceptor clientSide, ServerInterceptor serverSide)
      throws IOException {
    server = serverBuilder(Transport.TCP).intercept(serverSide).build().start();
    client = connected(clientBuilder(Transport.TCP, server.port(), io).intercept(clientSide));
  }

  /** The Onyx server on an ephemeral loopback port: TCP only, handlers inline on the I/O thread. */
  static RpcServer startServer() throws IOException {
    return startServer(Transport.TCP);
  }

  /**
   * The same server on {@code transports} (TCP and UDP share the port number); UDP with a thread
   * of its own, the fastest configuration for calls one at a time.
   */
  static RpcServer startServer(Transport first, Transport... more) throws IOException {
    return serverBuilder(first, more).build().start();
  }

  /**
   * The same server over TCP alone, each connection read by a thread of its own in a blocking
   * read ({@link TcpIo#DEDICATED_THREAD}), handlers inline on that thread: issue 19's C server
   * design.
   */
  static RpcServer startDedicatedTcpServer() throws IOException {
    return serverBuilder(Transport.TCP).tcpIo(TcpIo.DEDICATED_THREAD).build().start();
  }

  private static RpcServerBuilder serverBuilder(Transport first, Transport... more) {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(first, more)
        .directExecutor()
        .udpIo(UdpIo.DEDICATED_THREAD)
        .addService(AddProgram.service());
  }

  /**
   * An Onyx client of a loopback port, its I/O done as {@code io} says, connected by a first call
   * so no measured call pays for it.
   */
  static RpcClient connectedClient(int port, IoStrategy io) {
    return connectedClient(Transport.TCP, port, io);
  }

  /** The same, looking for a reply for {@code poll} before waiting; null: the builder's default. */
  static RpcClient connectedClient(int port, IoStrategy io, Duration poll) {
    RpcClientBuilder builder = clientBuilder(Transport.TCP, port, io);
    return connected(poll == null ? builder : builder.pollBeforeWaiting(poll));
  }

  /** An Onyx client of a loopback port over {@code transport}, connected by a first call. */
  static RpcClient connectedClient(Transport transport, int port, IoStrategy io) {
    return connected(clientBuilder(transport, port, io));
  }

  private static RpcClientBuilder clientBuilder(Transport transport, int port, IoStrategy io) {
    return RpcClient.builder()
        .address("127.0.0.1", port)
        .transport(transport)
        .ioStrategy(io);
  }

  private static RpcClient connected(RpcClientBuilder builder) {
    RpcClient client = builder.build();
    int sum = client.call(AddProgram.ADD, AddProgram.ARGS);
    if (sum != 5) {
      throw new IllegalStateException("2 + 3 = " + sum);
    }
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
