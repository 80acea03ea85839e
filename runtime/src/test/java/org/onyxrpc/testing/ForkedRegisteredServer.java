package org.onyxrpc.testing;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.server.RpcServer;

/**
 * A main for a forked JVM: a {@link TestService} server registered, with {@code withdrawOnExit},
 * in the directory at 127.0.0.1:{@code args[0]}; prints "started" once registered, then waits to
 * be signalled.
 */
public final class ForkedRegisteredServer {
  private ForkedRegisteredServer() {}

  public static void main(String[] args) throws Exception {
    RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", Integer.parseInt(args[0]));
    RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .serviceName(TestService.PROGRAM, args[1])
        .withdrawOnExit()
        .addService(new TestService().definition())
        .build().start();
    // start() waits only so long for the first registration (a cold JVM may take longer).
    while (directory.lookup(args[1]).size() < 2) {
      Thread.onSpinWait();
    }
    System.out.println("started");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
