package org.onyxrpc.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;

/**
 * The server's UDP port: one call per datagram, one reply datagram back to its sender
 * (RFC 5531 §10), through the {@link UdpSocket} the call came in on. A port has one socket, or
 * several on a wildcard address ({@link UdpSockets}); they share these limits and counters.
 * Datagrams over the maximum size, or beyond the calls the server will hold in flight for UDP,
 * are dropped and counted: a UDP client retransmits.
 *
 * <p>Senders are counted by their {@code ClientAddress} (any port: a host can send from as many
 * as it likes): the calls of one address take at most half of UDP's calls in flight, and wait in
 * that address's own lane of the {@link FairScheduler}, as a TCP connection's do. A host that
 * floods valid calls, slow ones or fast ones, delays its own calls, not other hosts'.
 */
final class UdpEndpoint {
  final CallProcessor processor;
  final ServerState state;
  final int maxDatagramBytes;
  final int maxConcurrentCalls;
  final AtomicInteger inFlight = new AtomicInteger();
  /** Whether an IPv4 datagram's recipient is its destination, never a wildcard. */
  final boolean ipv4DestinationsReported;
  private final int maxCallsPerAddress;
  private final Map<Object, Sender> senders = new ConcurrentHashMap<>();
  final RateLimitedLog oversized = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final RateLimitedLog socketErrors = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final LongAdder dropped = new LongAdder();
  /** Replies a procedure's thread sent straight to the socket (for tests). */
  final LongAdder sentDirectly = new LongAdder();

  /**
   * With {@code ipv4DestinationsReported} true if the sockets give each IPv4 datagram its own
   * destination as its recipient (see {@code NettyTransports.reportIpv4Destinations}).
   */
  UdpEndpoint(CallProcessor processor, ServerState state, int maxDatagramBytes, int maxConcurrentCalls,
      boolean ipv4DestinationsReported) {
    this.ipv4DestinationsReported = ipv4DestinationsReported;
    this.processor = processor;
    this.state = state;
    this.maxDatagramBytes = maxDatagramBytes;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.maxCallsPerAddress = Math.max(1, maxConcurrentCalls / 2);
  }

  /** The handler of one more socket of this port. */
  UdpSocket newSocket() {
    return new UdpSocket(this);
  }

  /**
   * The calls in flight from one client address, and the lane they run in; forgotten (its lane
   * closed) when none is left. Changed only in the map's compute, for its key.
   */
  final class Sender {
    final FairScheduler.Lane lane;
    int inFlight;

    Sender(Object address) {
      this.lane = processor.newLane(address);
    }
  }

  /** One more call from {@code address}, or null if it has its share in flight already. */
  Sender admit(Object address) {
    Sender[] admitted = new Sender[1];
    senders.compute(address, (k, sender) -> {
      Sender counted = sender == null ? new Sender(k) : sender;
      if (counted.inFlight < maxCallsPerAddress) {
        counted.inFlight++;
        admitted[0] = counted;
      }
      return counted;
    });
    return admitted[0];
  }

  /** The share of UDP's calls in flight that one client address may hold. */
  int maxCallsPerAddress() {
    return maxCallsPerAddress;
  }

  /** A call from {@code address} is done. */
  void done(Object address) {
    senders.computeIfPresent(address, (k, sender) -> {
      if (--sender.inFlight > 0) {
        return sender;
      }
      if (sender.lane != null) {
        sender.lane.close();
      }
      return null;
    });
  }

  /** Client addresses with UDP calls in flight (for tests). */
  int senders() {
    return senders.size();
  }

  /** UDP calls in flight from one client address (for tests). */
  int callsInFlight(Object address) {
    int[] calls = new int[1];
    senders.computeIfPresent(address, (k, sender) -> {
      calls[0] = sender.inFlight; // read where it is changed, under the map's lock for the key
      return sender;
    });
    return calls[0];
  }
}
