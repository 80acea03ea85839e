package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;

/** {@link RunningCalls}: slots taken and emptied, reused before any is added, never two at once. */
class RunningCallsTest {
  private static CallContext call(int xid) {
    return new CallContext(xid, 1, 1, 1, Credentials.NONE, new InetSocketAddress(0), Transport.TCP);
  }

  @Test
  void holdsEachCallFromItsStartToItsEndAndReusesEmptiedSlots() {
    RunningCalls running = new RunningCalls();
    List<CallContext> calls = new ArrayList<>();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 64; i++) { // two chunks, full
      CallContext c = call(i);
      calls.add(c);
      assertTrue(slots.add(running.start(c)), "a slot of its own");
    }
    assertEquals(Set.copyOf(IntStream.range(0, 64).boxed().toList()), slots);
    calls.forEach(c -> assertTrue(running.holds(c)));
    running.end(5);
    running.end(40);
    assertFalse(running.holds(calls.get(5)), "ended");
    assertFalse(running.holds(calls.get(40)));
    assertFalse(running.holds(call(99)), "never started");
    CallContext later = call(100);
    CallContext after = call(101);
    Set<Integer> reused = Set.of(running.start(later), running.start(after));
    assertEquals(Set.of(5, 40), reused, "the emptied slots, before any is added");
    assertTrue(running.holds(later));
    assertTrue(running.holds(after));
    assertEquals(64, running.start(call(102)), "full again: a third chunk");
  }
}
