package org.onyxrpc.internal.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * An announcement closed while a renewal is under way withdraws after it and never registers
 * again; a directory that grants leases far shorter than asked cannot make it renew without
 * pause (on a test's clock).
 */
class AnnouncementTest {
  @Test
  void anEntryIsLoggedAsAPersonReadsIt() {
    assertEquals("com.example.Calc, program 0x20000101 version 1 over tcp at 127.0.0.1:4711",
        Announcement.describe(new ServiceInstance("com.example.Calc", 0x20000101, 1, "tcp",
            "127.0.0.1.18.103", "superuser")));
    assertEquals("program 0x20000102 version 2 over udp6 at [0:0:0:0:0:0:0:1]:4712",
        Announcement.describe(new ServiceInstance("", 0x20000102, 2, "udp6", "::1.18.104", "unknown")));
    assertEquals("program 0x20000103 version 1 over local at /run/calc.sock",
        Announcement.describe(new ServiceInstance("", 0x20000103, 1, "local", "/run/calc.sock", "unknown")));
  }

  @Test
  void closeDuringARenewalWithdrawsAfterItAndStopsRenewing() throws Exception {
    RecordingDirectory directory = new RecordingDirectory(3); // the first renewal: start made two
    Announcement announcement = Announcement.start(directory,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000), Set.of(Transport.TCP), null,
        List.of(new ProgramVersion(0x20000101, 1), new ProgramVersion(0x20000102, 1)), Map.of(),
        Duration.ofMillis(300));
    assertTrue(directory.renewing.await(1, TimeUnit.MINUTES));
    announcement.close(); // gives up waiting for the withdrawal, which waits for the renewal
    directory.finishRenewal.countDown();
    assertTrue(directory.withdrawn.await(1, TimeUnit.MINUTES));

    List<ServiceInstance> in = announcement.instances();
    assertEquals(List.of("register " + in.get(0), "register " + in.get(1),
        "register " + in.get(0), // the renewal under way at close: it stops before the next entry
        "unregister " + in.get(0), "unregister " + in.get(1)), directory.events());
  }

  @Test
  void aDirectoryGrantingLeasesOf1MsCannotMakeTheServerRenewWithoutPause() {
    List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
    List<Runnable> due = Collections.synchronizedList(new ArrayList<>());
    Announcement.Timer clock = (renewal, delay) -> { // a test's clock: runs nothing by itself
      due.add(renewal);
      delays.add(delay);
      return new CompletableFuture<Void>();
    };
    AtomicInteger registrations = new AtomicInteger();
    Directory stingy = new RecordingDirectory(0) {
      @Override
      public Duration register(ServiceInstance instance, Duration lease) {
        registrations.incrementAndGet();
        return Duration.ofMillis(1);
      }

      @Override
      public String toString() {
        return "stingy directory";
      }
    };
    Announcement asked30s = start(stingy, Duration.ofSeconds(30), clock);
    Await.until(() -> delays.size() == 1);
    due.get(0).run(); // the renewal: as short a lease again
    assertEquals(List.of(Announcement.MIN_RENEW_INTERVAL, Announcement.MIN_RENEW_INTERVAL), delays);
    assertEquals(2, registrations.get());
    assertEquals("stingy directory grants leases of 1 ms (30000 ms asked): renewing every 1000 ms,"
        + " not every third of the lease, so the entries may lapse between renewals",
        Announcement.shortLease(stingy, Duration.ofMillis(1), Duration.ofSeconds(30), Duration.ofSeconds(1)));
    asked30s.close();

    // A server that asks for short leases itself renews as often as it asked: a third of its lease.
    delays.clear();
    Announcement asked300ms = start(stingy, Duration.ofMillis(300), clock);
    Await.until(() -> delays.size() == 1);
    assertEquals(List.of(Duration.ofMillis(100)), delays);
    asked300ms.close();
  }

  /**
   * What a directory answers cannot make the server log without end. One that grants a different
   * short lease at each renewal, and refuses and grants by turns, wrote a WARN at each renewal
   * (a short lease other than the last logged; a failure after a success) and an INFO at each
   * recovery: one or two lines a second for as long as it liked. On a clock that stands still,
   * each kind is written once; an interval later, once more, with the count of those left out.
   */
  @Test
  void aDirectoryThatChangesItsAnswerAtEachRenewalIsLoggedOncePerInterval() {
    List<Runnable> due = Collections.synchronizedList(new ArrayList<>());
    AtomicLong now = new AtomicLong();
    Announcement.Timer clock = new Announcement.Timer() {
      @Override
      public Future<?> schedule(Runnable renewal, Duration delay) {
        due.add(renewal);
        return new CompletableFuture<Void>();
      }

      @Override
      public long nanoTime() {
        return now.get();
      }
    };
    AtomicInteger registrations = new AtomicInteger();
    Directory flapping = new RecordingDirectory(0) {
      @Override
      public Duration register(ServiceInstance instance, Duration lease) {
        int n = registrations.incrementAndGet() % 4;
        if (n == 0) {
          throw new RpcException(RpcStatus.UNAVAILABLE, "refused");
        }
        return Duration.ofMillis(n); // 1, 2, 3 ms by turns: each one other than the last
      }

      @Override
      public String toString() {
        return "flapping directory";
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Announcement announcement = start(flapping, Duration.ofSeconds(30), clock);
      Await.until(() -> due.size() == 1);
      for (int i = 0; i < 40; i++) {
        due.get(due.size() - 1).run(); // the renewal, which schedules the next one at once
      }
      now.addAndGet(RateLimitedLog.DEFAULT_INTERVAL.toNanos());
      for (int i = 0; i < 4; i++) {
        due.get(due.size() - 1).run();
      }
      announcement.close();
    } finally {
      System.setErr(stderr);
    }
    assertEquals(45, registrations.get());
    String logged = err.toString(StandardCharsets.UTF_8);
    for (String kind : List.of("grants leases of", "cannot register", "registered with flapping directory again")) {
      List<String> lines = logged.lines().filter(l -> l.contains(kind)).toList();
      assertEquals(2, lines.size(), kind + ":\n" + logged);
      assertTrue(lines.get(1).contains("similar lines left out"), lines.get(1));
    }
  }

  private static Announcement start(Directory directory, Duration lease, Announcement.Timer clock) {
    return Announcement.start(directory, new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000),
        Set.of(Transport.TCP), null, List.of(new ProgramVersion(0x20000101, 1)), Map.of(), lease, clock);
  }

  /** Records what it is asked; holds one registration until told to finish it. */
  private static class RecordingDirectory implements Directory {
    final CountDownLatch renewing = new CountDownLatch(1);
    final CountDownLatch finishRenewal = new CountDownLatch(1);
    final CountDownLatch withdrawn = new CountDownLatch(2);
    private final int held;
    private final AtomicInteger registrations = new AtomicInteger();
    private final List<String> events = new ArrayList<>();

    RecordingDirectory(int held) {
      this.held = held;
    }

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      if (registrations.incrementAndGet() == held) {
        renewing.countDown();
        try {
          finishRenewal.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      record("register " + instance);
      return lease;
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      record("unregister " + instance);
      withdrawn.countDown();
      return true;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      return List.of();
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return List.of();
    }

    private synchronized void record(String event) {
      events.add(event);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }
}
