package org.onyxrpc.benchmarks;

import java.io.IOException;
import org.onyxrpc.server.RpcServer;

/**
 * The servers {@code benchmarks/per-call.sh} compares, in one JVM until it is killed: the JVM's
 * blocking floor ({@link BlockingRecordServer}, pair {@code c-to-jvm} of {@link CClientRuns})
 * and Onyx with a thread per TCP connection ({@code c-to-onyx-dedicated}), both as
 * {@link CClientRuns} starts them. Prints the C client's path, then one line per server: its
 * label, its port and the name its connection threads start with ({@code /proc}'s 15 characters
 * of it), for the script to find the thread that serves the C client.
 */
public final class PerCallServers {
  private PerCallServers() {}

  /** Starts the servers, prints where they are, and waits. */
  public static void main(String[] args) throws IOException, InterruptedException {
    CPeers peers = CPeers.build();
    try (BlockingRecordServer jvm = new BlockingRecordServer();
        RpcServer dedicated = OnyxPeers.startDedicatedTcpServer()) {
      System.out.println("client " + peers.client());
      System.out.println("server c-to-jvm " + jvm.port() + " "
          + comm(BlockingRecordServer.CONNECTION_THREAD));
      System.out.println("server c-to-onyx-dedicated " + dedicated.port() + " "
          + comm("onyx-server-tcp-"));
      System.out.println("ready");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static String comm(String threadName) {
    return threadName.substring(0, Math.min(15, threadName.length()));
  }
}
