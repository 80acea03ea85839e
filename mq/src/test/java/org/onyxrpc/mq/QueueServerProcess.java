package org.onyxrpc.mq;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * {@code QueueServerProcess DATA_DIR}: {@link StandaloneQueueServer} on a free loopback port, for
 * tests that need the server in a JVM of its own (to kill it with SIGKILL).
 */
public final class QueueServerProcess {
  private QueueServerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(StandaloneQueueServer.serve(0, InetAddress.getLoopbackAddress(), Path.of(args[0]), null,
        new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }
}
