package org.onyxrpc.client;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;

/**
 * What an {@link RpcClientBuilder} held at {@code build()}: the client keeps this copy, so a
 * builder changed or reused later does not reach it.
 */
record ClientConfig(InetSocketAddress address, Transport transport, Duration timeout,
    Duration attemptTimeout, Duration connectTimeout, Credentials credentials, int maxRecordBytes,
    int maxDatagramBytes, int maxPendingCalls, long maxQueuedBytes, IoStrategy ioStrategy, EventLoopGroup eventLoopGroup,
    CallTimer timer, ClientTls tls, List<ClientInterceptor> interceptors) {

  ClientConfig {
    interceptors = List.copyOf(interceptors);
  }

  /** The largest call message the transport carries. */
  int maxMessageBytes() {
    return transport == Transport.TCP ? maxRecordBytes + RecordMarking.HEADER_BYTES : maxDatagramBytes;
  }
}
