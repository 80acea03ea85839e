package org.onyxrpc.client;

import java.net.SocketAddress;
import java.util.List;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's interceptors, in order, built once with the client; a client without any has none
 * of this (its field is null), so its calls make no {@link ClientCall}.
 */
final class ClientInterceptors {
  private static final Logger LOG = LoggerFactory.getLogger(ClientInterceptors.class);

  private final ClientInterceptor[] interceptors;
  private final SocketAddress address;
  private final Transport transport;
  private final CallTimer clock;

  private ClientInterceptors(ClientInterceptor[] interceptors, SocketAddress address,
      Transport transport, CallTimer clock) {
    this.interceptors = interceptors;
    this.address = address;
    this.transport = transport;
    this.clock = clock;
  }

  /** The chain of {@code interceptors}, or null if there are none. */
  static ClientInterceptors of(List<ClientInterceptor> interceptors, SocketAddress address,
      Transport transport, CallTimer clock) {
    return interceptors.isEmpty() ? null : new ClientInterceptors(
        interceptors.toArray(new ClientInterceptor[0]), address, transport, clock);
  }

  /**
   * A call starting: every interceptor's onStart has run when this returns, unless one refused
   * the call ({@link ClientCall#refusal()}).
   */
  ClientCall start(Procedure<?, ?> procedure, CallOptions options, boolean oneWay) {
    ClientCall call = new ClientCall(this, procedure, options, oneWay, clock.nanoTime());
    call.start(interceptors);
    return call;
  }

  /** Runs the onClose of the first {@code started} interceptors, last first. */
  void close(ClientCall call, int started) {
    for (int i = started - 1; i >= 0; i--) {
      try {
        interceptors[i].onClose(call);
      } catch (RuntimeException | Error e) {
        // The call's outcome stands whatever an observer of it does.
        LOG.warn("client interceptor {} failed closing {}: {}", interceptors[i],
            call.procedure().describe(), e.toString(), e);
      }
    }
  }

  long nanoTime() {
    return clock.nanoTime();
  }

  SocketAddress address() {
    return address;
  }

  Transport transport() {
    return transport;
  }
}
