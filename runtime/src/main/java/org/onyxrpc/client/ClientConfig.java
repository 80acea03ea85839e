package org.onyxrpc.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;

/**
 * What an {@link RpcClientBuilder} held at {@code build()}: the client keeps this copy, so a
 * builder changed or reused later does not reach it. {@code address} is an {@code
 * InetSocketAddress} for TCP and UDP, a {@code UnixSocketAddress} for UNIX and Netty's {@code
 * LocalAddress} for IN_PROCESS.
 */
record ClientConfig(SocketAddress address, Transport transport, Duration timeout,
    Duration attemptTimeout, Duration connectTimeout, Credentials credentials, int maxRecordBytes,
    int maxDatagramBytes, int maxPendingCalls, long maxQueuedBytes, IoStrategy ioStrategy,
    Duration pollBeforeWaiting, EventLoopGroup eventLoopGroup, CallTimer timer, ClientTls tls,
    List<ClientInterceptor> interceptors) {

  ClientConfig {
    interceptors = List.copyOf(interceptors);
  }

  /** The settings, as the builder's {@link RpcClientBuilder#toString}; the TLS context by its kind. */
  @Override
  public String toString() {
    return new org.onyxrpc.internal.SettingsText("ClientConfig").add("peer", peer())
        .add("timeout", timeout).add("attemptTimeout", attemptTimeout)
        .add("connectTimeout", connectTimeout).add("credentials", credentials)
        .add("maxRecordBytes", maxRecordBytes).add("maxDatagramBytes", maxDatagramBytes)
        .add("maxPendingCalls", maxPendingCalls).add("maxQueuedBytes", maxQueuedBytes)
        .add("ioStrategy", ioStrategy).add("pollBeforeWaiting", pollBeforeWaiting)
        .add("eventLoopGroup", eventLoopGroup == null ? "shared" : eventLoopGroup)
        .addIfSet("tls", tls).addIfAny("interceptors", interceptors).toString();
  }

  /** How messages name the server: "tcp host:port", "local /run/x.sock", "in-process name". */
  String peer() {
    if (address instanceof InetSocketAddress ip) {
      return transport.netid() + " " + ip.getHostString() + ":" + ip.getPort();
    }
    if (address instanceof LocalAddress local) {
      return "in-process " + local.id();
    }
    return transport.netid() + " " + address;
  }

  /** The largest call message the transport carries. */
  int maxMessageBytes() {
    // Clamped: the largest record limit the builder takes, Integer.MAX_VALUE, plus its mark
    // overflowed to a negative maximum that refused every call.
    return transport.recordMarked()
        ? (int) Math.min(Integer.MAX_VALUE, (long) maxRecordBytes + RecordMarking.HEADER_BYTES)
        : maxDatagramBytes;
  }
}
