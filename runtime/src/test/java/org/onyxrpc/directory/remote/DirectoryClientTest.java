package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientCall;
import org.onyxrpc.client.ClientInterceptor;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodecs;

/** Round robin over a name's instances, refreshed on failure, dropping the ones that stop answering. */
class DirectoryClientTest {
  private static final int PROGRAM = 0x20000888;
  private static final String NAME = "org.onyxrpc.test.Who";
  private static final Procedure<Void, Integer> WHO =
      new Procedure<>(PROGRAM, 1, 1, "Who.who", XdrCodecs.VOID, XdrCodecs.INT)
          .withSemantics(CallSemantics.AT_LEAST_ONCE);
  /** Answers only once the test releases it, so a call can be cancelled while it is surely in flight. */
  private static final Procedure<Void, Integer> HELD =
      new Procedure<>(PROGRAM, 1, 2, "Who.held", XdrCodecs.VOID, XdrCodecs.INT);

  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);

  private final LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
  private final List<RpcServer> servers = new ArrayList<>();

  @BeforeEach
  void startThree() throws Exception {
    for (int id = 0; id < 3; id++) {
      servers.add(startServer(id));
    }
    awaitTrue(() -> directory.lookup(NAME).size() == 6, Duration.ofSeconds(10));
  }

  /** A server of {@code NAME} whose WHO answers {@code me}, registered over TCP and UDP. */
  private RpcServer startServer(int me) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .serviceName(PROGRAM, NAME)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(WHO, (v, ctx) -> me)
            .procedure(HELD, (v, ctx) -> {
              held.countDown();
              release.await();
              return me;
            })
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(RpcServer::close);
    directory.close();
  }

  /**
   * Neither how long a call may take nor how long a dropped instance is left out is what these
   * tests are about, and both run on the real clock: a call to a live server that outlived a
   * short timeout on a loaded machine dropped that server too, and a dropped dead instance came
   * back once the calls after it took longer than the default 10 s.
   */
  private DirectoryClient client() {
    return DirectoryClient.builder().directory(directory).service(NAME)
        .dropFor(Duration.ofMinutes(10))
        .clientOptions(b -> b.timeout(Duration.ofMinutes(1)))
        .build();
  }

  private static Map<Integer, Integer> spread(DirectoryClient c, int calls) {
    Map<Integer, Integer> count = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      count.merge(c.call(WHO, null), 1, Integer::sum);
    }
    return count;
  }

  @Test
  void callsAreSpreadRoundRobin() {
    try (DirectoryClient c = client()) {
      assertEquals(Map.of(0, 10, 1, 10, 2, 10), spread(c, 30));
      assertEquals(3, c.instances(PROGRAM, 1).size());
    }
  }

  @Test
  void clientOptionsInstallInterceptorsOnEveryInstance() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).service(NAME)
        .clientOptions(b -> b.intercept(call -> seen.add(((java.net.InetSocketAddress) call.peer()).getPort() + " " + call.procedure().name())))
        .build()) {
      spread(c, 3);
    }
    assertEquals(3, seen.size(), seen.toString());
    assertEquals(3, seen.stream().distinct().count(), "one call to each instance: " + seen);
    seen.forEach(s -> assertTrue(s.endsWith(" Who.who"), s));
  }

  @Test
  void aServerThatLeavesIsNoLongerCalled() {
    try (DirectoryClient c = client()) {
      spread(c, 3);
      servers.remove(1).close(); // withdraws its entries; the client still has them cached
      Map<Integer, Integer> after = spread(c, 20);
      assertEquals(List.of(0, 2), List.copyOf(after.keySet()), after.toString());
    }
  }

  @Test
  void anInstanceThatStopsAnsweringIsDropped() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // free again once closed: connections are refused
    }
    directory.register(new ServiceInstance(NAME, PROGRAM, 1, "tcp",
        "127.0.0.1." + (deadPort >> 8) + "." + (deadPort & 0xFF), ""), Duration.ofMinutes(1));
    try (DirectoryClient c = client()) {
      assertEquals(4, c.instances(PROGRAM, 1).size());
      Map<Integer, Integer> count = spread(c, 12); // never fails: an idempotent call goes on elsewhere
      assertEquals(12, count.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(3, c.instances(PROGRAM, 1).size(), "the dead instance is left out");
    }
  }

  /** Before: UNAVAILABLE in milliseconds, though the call never left and another instance lives. */
  @Test
  void anAtMostOnceCallThatNeverLeftGoesToTheNextInstance() throws Exception {
    registerDeadInstance();
    CallOptions atMostOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);
    try (DirectoryClient c = client()) {
      assertEquals(4, c.instances(PROGRAM, 1).size());
      for (int i = 0; i < 8; i++) {
        assertTrue(List.of(0, 1, 2).contains(c.call(WHO, null, atMostOnce)));
        assertTrue(List.of(0, 1, 2).contains(c.callAsync(WHO, null, atMostOnce).get(1, TimeUnit.MINUTES)));
      }
      assertEquals(3, c.instances(PROGRAM, 1).size(), "the dead instance is left out");
    }
  }

  /**
   * A server that moved: the clients' caches name only a port where nothing listens now, the
   * directory already the new one. Before, the call refused there failed UNAVAILABLE with the
   * new port a look-up away (the next call found it); now the failure's look-up is the call's.
   */
  @Test
  void aServerThatMovedIsFoundByTheCallRefusedAtItsOldPort() throws Exception {
    servers.forEach(RpcServer::close);
    servers.clear();
    awaitTrue(() -> directory.lookup(NAME).isEmpty(), Duration.ofSeconds(10));
    registerDeadInstance();
    CallOptions atMostOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);
    try (DirectoryClient sync = client(); DirectoryClient async = client()) {
      assertEquals(1, sync.instances(PROGRAM, 1).size());
      assertEquals(1, async.instances(PROGRAM, 1).size());
      servers.add(startServer(7));
      awaitTrue(() -> directory.lookup(NAME).size() == 3, Duration.ofSeconds(10));
      assertEquals(7, sync.call(WHO, null, atMostOnce));
      assertEquals(7, async.callAsync(WHO, null, atMostOnce).get(1, TimeUnit.MINUTES));
      assertEquals(1, sync.instances(PROGRAM, 1).size(), "the old port is left out");
    }
  }

  @Test
  void aBuilderChangedAfterBuildDoesNotReachTheClient() {
    DirectoryClientBuilder builder = DirectoryClient.builder().directory(directory).service(NAME);
    try (DirectoryClient c = builder.build()) {
      builder.service("org.onyxrpc.None");
      assertTrue(List.of(0, 1, 2).contains(c.call(WHO, null)));
    }
  }

  @Test
  void cancellingAnAsyncCallCancelsIt() throws InterruptedException {
    try (DirectoryClient c = client()) {
      CompletableFuture<Integer> call = c.callAsync(HELD, null);
      assertTrue(held.await(10, TimeUnit.SECONDS), "the call reached a server");
      assertTrue(call.cancel(true));
      assertTrue(call.isCancelled());
      assertThrows(CancellationException.class, call::join);
    }
  }

  /**
   * The caller's future ended first, as {@code orTimeout} ends it: the call under way is given
   * up, as a cancelled one is. Before, only cancelling did that, and the call went on,
   * retransmitted, until its deadline.
   */
  @Test
  void aFutureTheCallerCompletesGivesUpTheCall() throws Exception {
    java.util.concurrent.BlockingQueue<RpcStatus> closed = new java.util.concurrent.LinkedBlockingQueue<>();
    ClientInterceptor statuses = new ClientInterceptor() {
      @Override
      public void onStart(ClientCall call) {}

      @Override
      public void onClose(ClientCall call) {
        closed.add(call.status());
      }
    };
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).service(NAME)
        .clientOptions(b -> b.timeout(Duration.ofMinutes(1)).intercept(statuses)).build()) {
      CompletableFuture<Integer> call = c.callAsync(HELD, null);
      assertTrue(held.await(10, TimeUnit.SECONDS), "the call reached a server");
      assertTrue(call.completeExceptionally(new java.util.concurrent.TimeoutException()));
      assertEquals(RpcStatus.CANCELLED, closed.poll(30, TimeUnit.SECONDS), "the call was given up");
    }
  }

  private void registerDeadInstance() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // free again once closed: connections are refused
    }
    directory.register(new ServiceInstance(NAME, PROGRAM, 1, "tcp",
        "127.0.0.1." + (deadPort >> 8) + "." + (deadPort & 0xFF), ""), Duration.ofMinutes(1));
  }

  @Test
  void noInstanceIsUnavailableWithTheName() {
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).service("org.onyxrpc.None").build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(WHO, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("no instance of org.onyxrpc.None program 0x20000888 version 1"),
          e.getMessage());
      // By name, the program version is the stub's: say that the name itself is unknown.
      assertTrue(e.getMessage().endsWith(": the directory has nothing registered under that name"), e.getMessage());
    }
  }

  /**
   * The name is registered, but not the version called: the look-up found the name's versions,
   * and the failure says which, as a server's PROG_MISMATCH does. Still UNAVAILABLE (nothing was
   * sent, so no server refused anything). Before, only "no instance of ... version 3".
   */
  @Test
  void aVersionTheNameDoesNotHaveNamesTheVersionsItHas() {
    Procedure<Void, Integer> third = new Procedure<>(PROGRAM, 3, 1, "Who.who", XdrCodecs.VOID, XdrCodecs.INT);
    try (DirectoryClient c = client()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(third, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("no instance of " + NAME + " program 0x20000888 version 3 over TCP in "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith(" (calling Who.who): the directory has version 1 only of it over TCP"),
          e.getMessage());
    }
    directory.register(new ServiceInstance(NAME, PROGRAM, 2, "tcp", "127.0.0.1.1.2", ""), Duration.ofMinutes(1));
    directory.register(new ServiceInstance(NAME, PROGRAM, 5, "tcp", "127.0.0.1.1.2", ""), Duration.ofMinutes(1));
    try (DirectoryClient c = client()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(third, null));
      assertTrue(e.getMessage().endsWith(": the directory has versions 1, 2 and 5 of it over TCP"), e.getMessage());
    }
  }

  /**
   * A look-up that fails with nothing known fails the call UNAVAILABLE, whatever the directory's
   * status: the call never left. Before, a directory's TIMEOUT reached the caller as the call's
   * own, which says it may have run, and a directory that cannot tell (SYSTEM_ERR) as a server error.
   */
  @Test
  void aLookUpThatFailsWithNothingKnownIsUnavailableWhateverTheDirectorySaid() {
    for (RpcStatus said : List.of(RpcStatus.TIMEOUT, RpcStatus.SYSTEM_ERR, RpcStatus.OUTCOME_UNKNOWN)) {
      Directory failing = new Directory() {
        @Override
        public Duration register(ServiceInstance instance, Duration lease) {
          throw new UnsupportedOperationException();
        }

        @Override
        public boolean unregister(ServiceInstance instance) {
          throw new UnsupportedOperationException();
        }

        @Override
        public List<ServiceInstance> lookup(String name) {
          throw new RpcException(said, "directory says " + said);
        }

        @Override
        public List<ServiceInstance> lookup(int program, int version) {
          throw new RpcException(said, "directory says " + said);
        }
      };
      try (DirectoryClient c = DirectoryClient.builder().directory(failing).service(NAME).build()) {
        RpcException e = assertThrows(RpcException.class, () -> c.call(WHO, null));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertEquals(said, ((RpcException) e.getCause()).status());
        ExecutionException async = assertThrows(ExecutionException.class,
            () -> c.callAsync(WHO, null).get(1, TimeUnit.MINUTES));
        assertEquals(RpcStatus.UNAVAILABLE, ((RpcException) async.getCause()).status());
      }
    }
  }

  @Test
  void instancesAreFoundByProgramToo() {
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).program(PROGRAM, 1).build()) {
      assertEquals(Map.of(0, 1, 1, 1, 2, 1), spread(c, 3));
    }
  }

  /**
   * A client found by program looks up the one version it was built for; a call of another one
   * finds nothing although the directory has that version. Before, the message said only "no
   * instance of program 0x20000888 version 1", which the directory plainly has, and the user
   * went looking at the servers rather than at the builder.
   */
  @Test
  void aCallOfAnotherVersionThanTheProgramClientsSaysWhichOneItLooksUp() {
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).program(PROGRAM, 2).build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(WHO, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("no instance of program 0x20000888 version 1 over TCP in "), e.getMessage());
      assertTrue(e.getMessage().endsWith(" (calling Who.who): this client looks up program 0x20000888 version 2"
          + " only (DirectoryClientBuilder.program)"), e.getMessage());
    }
  }

  /**
   * A client found by program whose version the directory lacks says which versions of the
   * program it has over the client's transport, as a server's PROG_MISMATCH would, though
   * nothing was sent (still UNAVAILABLE). Before, only "no instance of program 0x20000888
   * version 2", which sent the user to the servers when the builder asked for a version none has.
   */
  @Test
  void aProgramVersionTheDirectoryLacksNamesTheVersionsItHas() {
    directory.register(new ServiceInstance(NAME, PROGRAM, 3, "tcp", "127.0.0.1.1.2", ""), Duration.ofMinutes(1));
    directory.register(new ServiceInstance(NAME, PROGRAM, 4, "udp", "127.0.0.1.1.2", ""), Duration.ofMinutes(1));
    Procedure<Void, Integer> second = new Procedure<>(PROGRAM, 2, 1, "Who.who", XdrCodecs.VOID, XdrCodecs.INT);
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).program(PROGRAM, 2).build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(second, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("no instance of program 0x20000888 version 2 over TCP in "), e.getMessage());
      assertTrue(e.getMessage().endsWith(" (calling Who.who): the directory has versions 1 and 3 of it over TCP"),
          e.getMessage());
    }
    try (DirectoryClient c = DirectoryClient.builder().directory(directory).program(0x20000889, 2).build()) {
      Procedure<Void, Integer> none = new Procedure<>(0x20000889, 2, 1, "Who.who", XdrCodecs.VOID, XdrCodecs.INT);
      RpcException e = assertThrows(RpcException.class, () -> c.call(none, null));
      assertTrue(e.getMessage().endsWith(" (calling Who.who)"), e.getMessage()); // no version at all: nothing more
    }
  }

  @Test
  void aPlainClientFindsItsServerInADirectoryAsClntCreateDoes() {
    try (org.onyxrpc.client.RpcClient c = org.onyxrpc.client.RpcClient.builder()
        .directory(directory, PROGRAM, 1).build()) {
      assertTrue(List.of(0, 1, 2).contains(c.call(WHO, null)));
    }
    RpcException e = assertThrows(RpcException.class,
        () -> org.onyxrpc.client.RpcClient.builder().directory(directory, PROGRAM, 2).build());
    assertEquals(RpcStatus.UNAVAILABLE, e.status());
    // As a DirectoryClient's, the failure names the versions there are (before: nothing more).
    assertTrue(e.getMessage().endsWith(" is not registered over TCP in " + directory
        + ": the directory has version 1 only of it over TCP"), e.getMessage());
  }

  @Test
  void serversRegisterWithTheEmbeddedDirectoryByDefault() throws Exception {
    String name = "org.onyxrpc.test.Embedded";
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .serviceName(PROGRAM, name)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(WHO, (v, ctx) -> 7).build())
        .build().start();
    try (DirectoryClient c = DirectoryClient.builder().service(name).build()) {
      assertEquals(7, c.call(WHO, null));
      assertEquals(2, Directory.embedded().lookup(name).size()); // TCP and UDP
    } finally {
      server.close();
    }
    assertEquals(List.of(), Directory.embedded().lookup(name));
    RpcServer quiet = RpcServer.builder().directory(Directory.none()).serviceName(PROGRAM, name)
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(WHO, (v, ctx) -> 7).build())
        .build().start();
    try {
      assertEquals(List.of(), Directory.embedded().lookup(name));
    } finally {
      quiet.close();
    }
  }

  @Test
  void aDirectoryThatStopsAnsweringLeavesTheKnownInstancesInUse() {
    FlakyDirectory flaky = new FlakyDirectory(directory);
    try (DirectoryClient c = DirectoryClient.builder().directory(flaky).service(NAME)
        .cacheTtl(Duration.ofMillis(1)).clientOptions(b -> b.timeout(Duration.ofMinutes(1))).build()) {
      assertEquals(Map.of(0, 1, 1, 1, 2, 1), spread(c, 3));
      int before = flaky.lookups;
      flaky.down = true;
      long start = System.nanoTime();
      // Every look-up is due (1 ms cache) and fails: the calls go on to the instances known.
      assertEquals(Map.of(0, 10, 1, 10, 2, 10), spread(c, 30));
      // Asked again about once a second, not once per call: bounded by the time the calls took,
      // which on a loaded machine may be seconds (a fixed bound of 10 assumed they were quick).
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      int lookups = flaky.lookups - before;
      assertTrue(lookups <= 2 + seconds, lookups + " look-ups while down in " + seconds + " s");
      flaky.down = false;
    }
  }

  @Test
  void withNothingKnownAFailedLookUpReachesTheCaller() {
    FlakyDirectory flaky = new FlakyDirectory(directory);
    flaky.down = true;
    try (DirectoryClient c = DirectoryClient.builder().directory(flaky).service(NAME).build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(WHO, null));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
    }
  }

  /** A directory whose look-ups fail while {@code down}, as one whose store is unreachable does. */
  private static final class FlakyDirectory implements Directory {
    private final Directory delegate;
    volatile boolean down;
    volatile int lookups;

    FlakyDirectory(Directory delegate) {
      this.delegate = delegate;
    }

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      return delegate.register(instance, lease);
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return delegate.unregister(instance);
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      lookups++;
      if (down) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "directory down");
      }
      return delegate.lookup(name);
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      lookups++;
      if (down) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "directory down");
      }
      return delegate.lookup(program, version);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout) {
    Await.until(condition, timeout);
  }
}
