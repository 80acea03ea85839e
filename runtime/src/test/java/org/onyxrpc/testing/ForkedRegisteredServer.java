package org.onyxrpc.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.server.RpcServer;

/**
 * A main for a forked JVM: a {@link TestService} server registered, with {@code withdrawOnExit},
 * in the directory at 127.0.0.1:{@code args[0]} under the name {@code args[1]}, listening on
 * loopback, or on every address if {@code args[2]} is "any"; prints "started" once registered,
 * then waits to be signalled. A plain rpcbind keeps no names: there it waits for the program's
 * entries instead.
 */
public final class ForkedRegisteredServer {
  private ForkedRegisteredServer() {}

  public static void main(String[] args) throws Exception {
    RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", Integer.parseInt(args[0]));
    boolean any = args.length > 2 && args[2].equals("any");
    RpcServer.builder()
        .bind(any ? new InetSocketAddress(0).getAddress() : InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .serviceName(TestService.PROGRAM, args[1])
        .withdrawOnExit()
        .addService(new TestService().definition())
        .build().start();
    // start() waits only so long for the first registration (a cold JVM may take longer).
    while ((directory.keepsNames() ? directory.lookup(args[1]) : directory.lookup(TestService.PROGRAM, 1))
        .size() < 2) {
      Thread.onSpinWait();
    }
    System.out.println("started");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
