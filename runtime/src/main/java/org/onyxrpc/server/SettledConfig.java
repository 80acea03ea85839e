package org.onyxrpc.server;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.onyxrpc.xdr.XdrLimits;

/**
 * What {@link RpcServerBuilder#build} makes of its builder's settings: the checks across them
 * that no setter can make alone (a service added, its names served, the transports settled with
 * TLS, TcpIo with TLS), then the immutable {@link ServerConfig}, copied so that later changes to
 * the builder reach no server built from it.
 */
final class SettledConfig {
  private SettledConfig() {}

  /**
   * The builder's settings as given, neither settled nor checked (its transports as chosen, its
   * names unmerged): for its {@code toString}, which must print whatever the builder holds.
   */
  static ServerConfig asGiven(RpcServerBuilder b) {
    return config(b, b.transports, b.serviceNames, b.unixSocket, b.inProcessName);
  }

  /** The configuration of a server built from {@code b}; throws as {@code build()} says. */
  static ServerConfig of(RpcServerBuilder b) {
    if (b.services.isEmpty()) {
      throw new IllegalStateException("a server needs at least one service: add it with addService(...)");
    }
    ServiceNames.requireServed(b.services, b.serviceNames);
    EnumSet<Transport> transports = ServedTransports.settle(b.transports, b.transportsChosen, b.tls,
        b.unixSocket, b.inProcessName);
    // Only where TCP is served: the property's default must not refuse a UDP-only server.
    BlockingTcpListener.check(transports.contains(Transport.TCP) ? b.tcpIo : TcpIo.EVENT_LOOP, b.tls);
    return config(b, transports, ServiceNames.merged(b.services, b.serviceNames),
        transports.contains(Transport.UNIX) ? b.unixSocket : null,
        transports.contains(Transport.IN_PROCESS) ? b.inProcessName : null);
  }

  /** {@code b}'s settings, with the transports, names and addresses given. */
  private static ServerConfig config(RpcServerBuilder b, Set<Transport> transports,
      Map<Integer, String> serviceNames, UnixSocketAddress unixSocket, String inProcessName) {
    return new ServerConfig(b.bindAddress, transports, b.services,
        b.executorChoice, b.executor, b.authenticator, b.directory, b.directoryLease,
        serviceNames, b.ioThreads, b.udpIo, b.tcpIo, b.pollBeforeWaiting, b.maxRecordBytes, b.maxFragmentsPerRecord,
        b.maxDatagramBytes, b.maxConnections, b.maxConcurrentCallsPerConnection,
        b.maxConcurrentCalls, b.recordTimeout, b.minRecordBytesPerSecond, b.idleTimeout,
        b.maxBufferedBytes, new XdrLimits(b.maxDecodeDepth, b.maxDecodedBytes),
        b.maxDecodedBytesInFlight, b.shutdownTimeout, b.drcBounds, b.withdrawOnExit, b.tls,
        unixSocket, inProcessName, b.interceptors);
  }
}
