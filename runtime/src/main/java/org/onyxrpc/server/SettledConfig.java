package org.onyxrpc.server;

import java.util.EnumSet;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrLimits;

/**
 * What {@link RpcServerBuilder#build} makes of its builder's settings: the checks across them
 * that no setter can make alone (a service added, its names served, the transports settled with
 * TLS, TcpIo with TLS), then the immutable {@link ServerConfig}, copied so that later changes to
 * the builder reach no server built from it.
 */
final class SettledConfig {
  private SettledConfig() {}

  /** The configuration of a server built from {@code b}; throws as {@code build()} says. */
  /**
   * The builder's settings as given, neither settled nor checked (its transports as chosen, its
   * names unmerged): for its {@code toString}, which must print whatever the builder holds.
   */
  static ServerConfig asGiven(RpcServerBuilder b) {
    return new ServerConfig(b.bindAddress, b.transports, b.services,
        b.executorChoice, b.executor, b.authenticator, b.directory, b.directoryLease,
        b.serviceNames, b.ioThreads, b.udpIo, b.tcpIo, b.maxRecordBytes, b.maxFragmentsPerRecord,
        b.maxDatagramBytes, b.maxConnections, b.maxConcurrentCallsPerConnection,
        b.maxConcurrentCalls, b.recordTimeout, b.minRecordBytesPerSecond, b.idleTimeout,
        b.maxBufferedBytes, new XdrLimits(b.maxDecodeDepth, b.maxDecodedBytes),
        b.maxDecodedBytesInFlight, b.shutdownTimeout, b.drcBounds, b.withdrawOnExit, b.tls,
        b.unixSocket, b.inProcessName, b.interceptors);
  }

  static ServerConfig of(RpcServerBuilder b) {
    if (b.services.isEmpty()) {
      throw new IllegalStateException("a server needs at least one service: add it with addService(...)");
    }
    ServiceNames.requireServed(b.services, b.serviceNames);
    EnumSet<Transport> transports = ServedTransports.settle(b.transports, b.transportsChosen, b.tls,
        b.unixSocket, b.inProcessName);
    // Only where TCP is served: the property's default must not refuse a UDP-only server.
    BlockingTcpListener.check(transports.contains(Transport.TCP) ? b.tcpIo : TcpIo.EVENT_LOOP, b.tls);
    return new ServerConfig(b.bindAddress, transports, b.services,
        b.executorChoice, b.executor, b.authenticator, b.directory, b.directoryLease,
        ServiceNames.merged(b.services, b.serviceNames),
        b.ioThreads, b.udpIo, b.tcpIo, b.maxRecordBytes, b.maxFragmentsPerRecord, b.maxDatagramBytes,
        b.maxConnections, b.maxConcurrentCallsPerConnection, b.maxConcurrentCalls, b.recordTimeout,
        b.minRecordBytesPerSecond, b.idleTimeout, b.maxBufferedBytes,
        new XdrLimits(b.maxDecodeDepth, b.maxDecodedBytes), b.maxDecodedBytesInFlight,
        b.shutdownTimeout, b.drcBounds, b.withdrawOnExit, b.tls,
        transports.contains(Transport.UNIX) ? b.unixSocket : null,
        transports.contains(Transport.IN_PROCESS) ? b.inProcessName : null, b.interceptors);
  }
}
