package org.onyxrpc.testing;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.server.RpcServer;

/**
 * A main for a fresh JVM, as {@link ThreadCensus}: a directory server with leases to sweep and a
 * forwarded call (its forwarding thread and clients), a remote directory, a server registered
 * there and a directory client calling it; prints "left NAMES", the Onyx threads that outlive
 * closing them all.
 */
public final class DirectoryThreadCensus {
  private static final String NAME = "org.onyxrpc.test.DirectoryCensus";

  private DirectoryThreadCensus() {}

  public static void main(String[] args) throws Exception {
    try {
      run();
    } catch (Exception | AssertionError e) { // said where the test reads, not lost in the build's log
      System.out.println("failed " + e);
      System.out.flush();
      throw e;
    }
  }

  private static void run() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    Set<String> pools = new HashSet<>();
    try (DirectoryServer directory = DirectoryServer.builder().bind(loopback, 0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", directory.port());
        RpcServer server = RpcServer.builder().bind(loopback, 0).directory(remote)
            .serviceName(TestService.PROGRAM, NAME).addService(new TestService().definition()).build().start();
        DirectoryClient client = DirectoryClient.builder().directory(remote).service(NAME).build();
        RpcClient rpcbind = RpcClient.builder().address("127.0.0.1", directory.port()).build()) {
      if (!Await.within(() -> remote.lookup(NAME).size() == 2, Duration.ofSeconds(20))) { // TCP and UDP
        throw new AssertionError("the server did not register");
      }
      if (client.call(TestService.ADD, new TestService.Pair(40, 2)) != 42) {
        throw new AssertionError("the directory client's call");
      }
      byte[] sum = rpcbind.call(Rpcb.INDIRECT, new Rpcb.CallArgs(TestService.PROGRAM, 1,
          TestService.ADD.number(), new byte[] {0, 0, 0, 2, 0, 0, 0, 40})).results();
      if (!Arrays.equals(new byte[] {0, 0, 0, 42}, sum)) {
        throw new AssertionError("the forwarded call: " + Arrays.toString(sum));
      }
      pools.addAll(ThreadCensus.pools(ThreadCensus.onyxThreads("onyx-")));
    }
    System.out.println("left " + ThreadCensus.left(pools));
    System.out.flush();
  }
}
