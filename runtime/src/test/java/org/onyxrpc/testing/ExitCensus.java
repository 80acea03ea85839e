package org.onyxrpc.testing;

import java.net.InetAddress;
import java.util.List;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * A main for a fresh JVM: a directory server, a server registered with it and clients of every
 * kind make calls, then all is closed. Prints "closed NAMES", the threads that are not daemons
 * (main aside) alive right after, and returns: a JVM with none left exits at once.
 */
public final class ExitCensus {
  private ExitCensus() {}

  public static void main(String[] args) throws Exception {
    LocalDirectory store = new LocalDirectory(new InMemoryDirectoryStore());
    DirectoryServer directory = DirectoryServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0).directory(store).build().start();
    RemoteDirectory remote = RemoteDirectory.builder().address("127.0.0.1", directory.port()).build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(remote).serviceName(TestService.PROGRAM, "org.onyxrpc.test.Exit")
        .addService(new TestService().definition()).build().start();
    List<RpcClient> clients = List.of(
        client(server, Transport.TCP, IoStrategy.EVENT_LOOP),
        client(server, Transport.TCP, IoStrategy.CALLER_RUNS),
        client(server, Transport.UDP, IoStrategy.EVENT_LOOP),
        client(server, Transport.UDP, IoStrategy.CALLER_RUNS));
    for (RpcClient client : clients) {
      if (!"hi".equals(client.call(TestService.ECHO, "hi"))) {
        throw new AssertionError("echo");
      }
    }
    // start() waits at most 2 s for the first registration, then goes on in the background: a
    // fresh JVM on a loaded machine can take longer.
    Await.until(() -> !remote.lookup("org.onyxrpc.test.Exit").isEmpty());
    clients.forEach(RpcClient::close);
    server.close();
    remote.close();
    directory.close();
    store.close();
    Thread me = Thread.currentThread();
    List<String> left = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t != me && t.isAlive() && !t.isDaemon()).map(Thread::getName).sorted().toList();
    System.out.println("closed " + left);
    System.out.flush();
  }

  private static RpcClient client(RpcServer server, Transport transport, IoStrategy io) {
    return RpcClient.builder().address("127.0.0.1", server.port()).transport(transport)
        .ioStrategy(io).build();
  }
}
