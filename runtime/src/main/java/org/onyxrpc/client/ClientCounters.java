package org.onyxrpc.client;

import java.util.concurrent.atomic.LongAdder;

/** The mutable counters behind {@link ClientStats}. */
final class ClientCounters {
  final LongAdder calls = new LongAdder();
  final LongAdder retransmissions = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder lateReplies = new LongAdder();
  final LongAdder connects = new LongAdder();
  final LongAdder outcomeUnknown = new LongAdder();

  ClientStats snapshot() {
    return new ClientStats(calls.sum(), retransmissions.sum(), timeouts.sum(), lateReplies.sum(),
        connects.sum(), outcomeUnknown.sum());
  }
}
