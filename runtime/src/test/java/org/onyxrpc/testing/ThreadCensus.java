package org.onyxrpc.testing;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
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
    service.gate.countDown();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).get(1, TimeUnit.MINUTES) != i) {
        throw new AssertionError("call " + i);
      }
    }
    clients.forEach(RpcClient::close);
    server.close();
    for (Thread t : onyxThreads("onyx-")) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    System.out.println("left " + onyxThreads("onyx-").stream().map(Thread::getName).sorted().toList());
    System.out.flush();
  }

  private static List<Thread> onyxThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
  }
}
