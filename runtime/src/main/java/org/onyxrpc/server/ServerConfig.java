package org.onyxrpc.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.onyxrpc.xdr.XdrLimits;

/**
 * What {@link RpcServerBuilder#build} settled, copied so that a built server never sees later
 * changes to its builder. The limits are documented on the builder's setters. {@code unixSocket}
 * and {@code inProcessName} are null unless {@code transports} holds UNIX or IN_PROCESS.
 */
record ServerConfig(
    InetSocketAddress bindAddress,
    Set<Transport> transports,
    List<ServiceDefinition> services,
    ExecutorChoice executorChoice,
    Executor executor,
    Authenticator authenticator,
    Directory directory,
    Duration directoryLease,
    Map<Integer, String> serviceNames,
    int ioThreads,
    UdpIo udpIo,
    TcpIo tcpIo,
    Duration pollBeforeWaiting,
    int maxRecordBytes,
    int maxFragmentsPerRecord,
    int maxDatagramBytes,
    int maxConnections,
    int maxConcurrentCallsPerConnection,
    int maxConcurrentCalls,
    Duration recordTimeout,
    long minRecordBytesPerSecond,
    Duration idleTimeout,
    long maxBufferedBytes,
    XdrLimits decodeLimits,
    long maxDecodedBytesInFlight,
    Duration shutdownTimeout,
    DrcBounds drcBounds,
    boolean withdrawOnExit,
    ServerTls tls,
    UnixSocketAddress unixSocket,
    String inProcessName,
    List<ServerInterceptor> interceptors) {

  ServerConfig {
    interceptors = List.copyOf(interceptors);
    transports = Set.copyOf(transports);
    services = List.copyOf(services);
    serviceNames = Map.copyOf(serviceNames);
  }

  /** The settings, as the builder's {@link RpcServerBuilder#toString}; the TLS context by its kind. */
  @Override
  public String toString() {
    return settings("ServerConfig");
  }

  /** {@code name[key=value, ...]} of these settings; the TLS context by its kind. */
  String settings(String name) {
    return new org.onyxrpc.internal.SettingsText(name)
        .add("bindAddress", org.onyxrpc.internal.SettingsText.address(bindAddress))
        .add("transports", transports).add("services", services)
        .add("executor", executor == null ? executorChoice : executor)
        .add("authenticator", authenticator == Authenticator.DEFAULT ? "default" : authenticator)
        .add("directory", directory).add("directoryLease", directoryLease)
        .add("withdrawOnExit", withdrawOnExit).add("ioThreads", ioThreads).add("udpIo", udpIo)
        .add("tcpIo", tcpIo).add("pollBeforeWaiting", pollBeforeWaiting).add("maxRecordBytes", maxRecordBytes)
        .add("maxFragmentsPerRecord", maxFragmentsPerRecord).add("maxDatagramBytes", maxDatagramBytes)
        .add("maxConnections", maxConnections)
        .add("maxConcurrentCallsPerConnection", maxConcurrentCallsPerConnection)
        .add("maxConcurrentCalls", maxConcurrentCalls).add("recordTimeout", recordTimeout)
        .add("minRecordBytesPerSecond", minRecordBytesPerSecond).add("idleTimeout", idleTimeout)
        .add("maxBufferedBytes", maxBufferedBytes).add("decodeLimits", decodeLimits)
        .add("maxDecodedBytesInFlight", maxDecodedBytesInFlight)
        .add("shutdownTimeout", shutdownTimeout).add("duplicateRequestCache", drcBounds)
        .addIfSet("tls", tls).addIfSet("unixSocket", unixSocket)
        .addIfSet("inProcessName", inProcessName).addIfAny("interceptors", interceptors)
        .toString();
  }
}
