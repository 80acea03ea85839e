package org.onyxrpc.testing;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.server.RpcServer;

/**
 * A main for a fresh JVM, where no other test's threads can blur the count: counts Onyx's
 * threads when nothing is used, with many clients busy, and once everything is closed. Prints
 * "unused N", "busy N" (client threads), "left NAMES".
 */
public final class ThreadCensus {
  private ThreadCensus() {}

  public static void main(String[] args) throws Exception {
    int callerRuns = Integer.parseInt(args[0]);
    int eventLoop = Integer.parseInt(args[1]);
    // Touching the embedded directory and the builders starts nothing.
    Directory.embedded().lookup("org.onyxrpc.test.Nobody");
    DirectoryClient.builder().service("org.onyxrpc.test.Nobody");
    RpcServer.builder();
    RpcClient.builder();
    System.out.println("unused " + onyxThreads("onyx-").size());

    TestService service = new TestService();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .serviceName(TestService.PROGRAM, "org.onyxrpc.test.Census")
        .addService(service.definition()).build().start();
    List<RpcClient> clients = new ArrayList<>();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < callerRuns + eventLoop; i++) {
      RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
          .ioStrategy(i < callerRuns ? IoStrategy.CALLER_RUNS : IoStrategy.EVENT_LOOP).build();
      clients.add(client);
      calls.add(client.callAsync(TestService.HOLD, i));
    }
    // Every call is out (or queued at the server): the clients' threads are all there is.
    for (int i = 0; i < calls.size(); i += 50) {
      clients.get(i).ping(TestService.PROGRAM, 1);
    }
    System.out.println("busy " + onyxThreads("onyx-client").size());
    Set<String> pools = pools(onyxThreads("onyx-"));
    service.gate.countDown();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).get(1, TimeUnit.MINUTES) != i) {
        throw new AssertionError("call " + i);
      }
    }
    clients.forEach(RpcClient::close);
    pools.addAll(pools(onyxThreads("onyx-")));
    server.close();
    System.out.println("left " + left(pools));
    System.out.flush();
  }

  /**
   * The Onyx threads left once everything is closed. Each is joined for 30 s; so is any started
   * meanwhile (a pool being closed may still start a worker for a task it had queued), over a
   * few rounds at most. Left are the threads that outlive their join, threads that keep
   * starting, and any thread of a pool not seen before the close: a resource acquired anew
   * after everything was closed is a leak even if it ends in time.
   */
  static List<String> left(Set<String> poolsBeforeClose) throws InterruptedException {
    Set<Thread> joined = new HashSet<>();
    Set<String> late = new HashSet<>();
    for (int round = 0; round < 5; round++) {
      List<Thread> alive = onyxThreads("onyx-");
      alive.stream().filter(t -> !poolsBeforeClose.contains(pool(t))).forEach(t -> late.add(t.getName()));
      if (joined.containsAll(alive)) {
        break; // nothing new: what is alive outlived its join
      }
      for (Thread t : alive) {
        if (joined.add(t)) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
      }
    }
    Set<String> left = new TreeSet<>(late);
    onyxThreads("onyx-").forEach(t -> left.add(t.getName()));
    return left.stream().map(n -> late.contains(n) ? n + " (of a pool made after close)" : n).toList();
  }

  /** The pools of {@code threads}: Netty's DefaultThreadFactory names a thread POOL-N-K, N per pool. */
  static Set<String> pools(List<Thread> threads) {
    Set<String> pools = new HashSet<>();
    threads.forEach(t -> pools.add(pool(t)));
    return pools;
  }

  private static String pool(Thread t) {
    return t.getName().substring(0, Math.max(0, t.getName().lastIndexOf('-')));
  }

  static List<Thread> onyxThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
  }
}
