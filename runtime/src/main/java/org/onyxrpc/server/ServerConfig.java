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
}
