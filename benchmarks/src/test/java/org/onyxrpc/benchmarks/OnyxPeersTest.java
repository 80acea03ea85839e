package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.server.ServerInterceptor;

/** The peers of {@link OnyxIntercepted} add in both modes, and its interceptors see every call. */
@Timeout(60)
class OnyxPeersTest {
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void interceptedPeersAddAndBothInterceptorsSeeEachCall(IoStrategy io) throws Exception {
    AtomicInteger clientSaw = new AtomicInteger();
    AtomicInteger serverSaw = new AtomicInteger();
    ClientInterceptor clientSide = call -> clientSaw.incrementAndGet();
    ServerInterceptor serverSide = call -> serverSaw.incrementAndGet();
    try (OnyxPeers peers = new OnyxPeers(io, clientSide, serverSide)) {
      assertEquals(5, peers.client.call(AddProgram.ADD, AddProgram.ARGS));
    }
    assertEquals(2, clientSaw.get(), "the connecting call and the one above");
    assertEquals(2, serverSaw.get(), "the connecting call and the one above");
  }

  @Test
  void theBenchmarkRunsWithAndWithoutInterceptors() throws Exception {
    for (String interceptors : new String[] {"none", "one-each"}) {
      OnyxIntercepted benchmark = new OnyxIntercepted();
      benchmark.interceptors = interceptors;
      benchmark.io = IoStrategy.CALLER_RUNS;
      benchmark.start();
      try {
        assertEquals(5, benchmark.call(), interceptors);
      } finally {
        benchmark.stop();
      }
    }
  }
}
