package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.transport.Transport;

/**
 * A {@link DirectoryClient} that lost an instance asks the directory again 1 s later, then after
 * 2, 4, 8 and 16 s, until the instance is listed again: a server restarted for an upgrade is
 * called within about a second of its registration, where it waited for the end of the client's
 * {@code cacheTtl} (30 s), the survivor taking all the calls. Bounded: five look-ups more per loss,
 * whatever the calls. On {@link InstanceCache}, with a clock the test moves.
 */
class LossRecheckTest {
  private static final int PROGRAM = 0x2000088b;
  private static final String NAME = "org.onyxrpc.test.Recheck";
  private static final ServiceInstance A = entry(4097);
  private static final ServiceInstance B = entry(4098);
  private static final ServiceInstance A_AGAIN = entry(4099); // restarted on another port

  private static ServiceInstance entry(int port) {
    return new ServiceInstance(NAME, PROGRAM, 1, "tcp", "127.0.0.1." + (port >> 8) + "." + (port & 255),
        "unknown");
  }

  /** A directory whose listing the test sets, counting its look-ups. */
  private static final class Listing implements Directory {
    volatile List<ServiceInstance> entries = List.of(A, B);
    final AtomicInteger lookUps = new AtomicInteger();

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      return lease;
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return false;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      lookUps.incrementAndGet();
      return entries;
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return lookup(NAME);
    }
  }

  private final Listing directory = new Listing();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final InstanceCache cache = new InstanceCache(new DirectoryClientConfig(directory, NAME,
      0, 0, Transport.TCP, Duration.ofSeconds(30), Duration.ofSeconds(10), 16, b -> {}), now::get);

  /** Moves the clock on by {@code millis}, asks for the instances, returns the look-ups so far. */
  private int after(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    cache.candidates(PROGRAM, 1);
    return directory.lookUps.get();
  }

  private List<InetSocketAddress> instances() {
    return cache.candidates(PROGRAM, 1);
  }

  @Test
  void aRestartedInstanceIsFoundWithinASecondOfItsRegistration() {
    try {
      assertEquals(1, after(0));
      directory.entries = List.of(B); // A shut down: its entry withdrawn
      cache.drop(A.socketAddress());
      assertEquals(2, after(0), "the loss makes a look-up due at once");
      assertEquals(2, after(900));
      assertEquals(3, after(200), "asked again a second after the loss");
      assertEquals(3, after(1_900));
      assertEquals(4, after(200), "then two seconds later");
      directory.entries = List.of(A_AGAIN, B); // A restarted
      assertEquals(4, after(3_900));
      assertEquals(5, after(200), "then four seconds later");
      assertEquals(List.of(A_AGAIN.socketAddress(), B.socketAddress()), instances());
      assertEquals(5, after(29_000), "back to cacheTtl once as many are listed as before");
      assertEquals(6, after(1_100));
    } finally {
      cache.close();
    }
  }

  @Test
  void aLossThatStaysLostCostsFiveLookUpsMore() {
    try {
      assertEquals(1, after(0));
      directory.entries = List.of(B);
      cache.drop(A.socketAddress());
      assertEquals(2, after(0));
      int lookUps = 2;
      for (int i = 0; i < 120; i++) { // 60 s of calls, one every 500 ms
        lookUps = after(500);
      }
      // About 1, 3, 7, 15 and 31 s after the loss (the first call past each wait); the next
      // after cacheTtl, past the 60 s.
      assertEquals(2 + 5, lookUps);
    } finally {
      cache.close();
    }
  }
}
