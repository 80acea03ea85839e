package org.onyxrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * The transport the runtime's client and server behaviour tests call over, chosen by the system
 * property {@code org.onyxrpc.test.transport} (TCP, UNIX or IN_PROCESS; default TCP): the build
 * runs those tests once per transport. A server made here listens on TCP and UDP as by default,
 * plus the chosen transport; clients made here call over the chosen one.
 */
public final class TestTransport {
  /** The transport under test. */
  public static final Transport CURRENT =
      Transport.valueOf(System.getProperty("org.onyxrpc.test.transport", "TCP"));

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Path socketDirectory;

  private TestTransport() {}

  /** A server builder at a new address of the current transport. */
  public static RpcServerBuilder server() {
    return switch (CURRENT) {
      case TCP, UDP -> RpcServer.builder();
      case UNIX -> RpcServer.builder().unixSocket(newSocket())
          .transports(Transport.TCP, Transport.UDP, Transport.UNIX);
      case IN_PROCESS -> RpcServer.builder().inProcess("test-" + NAMES.incrementAndGet())
          .transports(Transport.TCP, Transport.UDP, Transport.IN_PROCESS);
    };
  }

  /** A server builder where {@code previous} listened, to start it again after it closed. */
  public static RpcServerBuilder serverAt(RpcServer previous) {
    RpcServerBuilder b = RpcServer.builder();
    return switch (CURRENT) {
      case TCP, UDP -> b.port(previous.port());
      case UNIX -> b.port(previous.port()).unixSocket(previous.unixSocket().orElseThrow())
          .transports(Transport.TCP, Transport.UDP, Transport.UNIX);
      case IN_PROCESS -> b.port(previous.port()).inProcess(previous.inProcessName().orElseThrow())
          .transports(Transport.TCP, Transport.UDP, Transport.IN_PROCESS);
    };
  }

  /** A client builder calling {@code server} over the current transport. */
  public static RpcClientBuilder client(RpcServer server) {
    return switch (CURRENT) {
      case TCP, UDP -> RpcClient.builder().address("127.0.0.1", server.port()).transport(CURRENT);
      case UNIX -> RpcClient.builder().unixSocket(server.unixSocket().orElseThrow());
      case IN_PROCESS -> RpcClient.builder().inProcess(server.inProcessName().orElseThrow());
    };
  }

  /** How a client's messages name {@code server}: "tcp 127.0.0.1:4711", "local /tmp/…", … */
  public static String peer(RpcServer server) {
    return switch (CURRENT) {
      case TCP, UDP -> CURRENT.netid() + " 127.0.0.1:" + server.port();
      case UNIX -> "local " + server.unixSocket().orElseThrow();
      case IN_PROCESS -> "in-process " + server.inProcessName().orElseThrow();
    };
  }

  /** A raw peer connected to {@code server} over the current transport (TCP for UDP). */
  public static RawTcpPeer raw(RpcServer server) throws IOException {
    return switch (CURRENT) {
      case TCP, UDP -> new RawTcpPeer(server.port());
      case UNIX -> RawTcpPeer.overNetty(Transport.UNIX, server.unixSocket().orElseThrow());
      case IN_PROCESS -> RawTcpPeer.overNetty(Transport.IN_PROCESS,
          NettyTransports.inProcessAddress(server.inProcessName().orElseThrow()));
    };
  }

  /** A fresh socket path in a directory of this JVM's, short enough for {@code sun_path}. */
  private static synchronized UnixSocketAddress newSocket() {
    try {
      if (socketDirectory == null) {
        socketDirectory = Files.createTempDirectory("onyx");
        socketDirectory.toFile().deleteOnExit(); // once empty: servers remove their sockets
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return UnixSocketAddress.of(socketDirectory.resolve("s" + NAMES.incrementAndGet() + ".sock"));
  }
}
