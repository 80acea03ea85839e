package org.onyxrpc.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.UdpIo;
import org.onyxrpc.transport.Transport;

/**
 * The servers {@code benchmarks/per-call.sh} compares, in one JVM until it is killed. Over TCP
 * (no argument, or {@code tcp}): the JVM's blocking floor ({@link BlockingRecordServer}, pair
 * {@code c-to-jvm} of {@link CClientRuns}) and Onyx with a thread per TCP connection ({@code
 * c-to-onyx-dedicated}), both as {@link CClientRuns} starts them. Over UDP ({@code udp}): the
 * JVM's blocking datagram floor ({@link BlockingDatagramServer}, also {@code c-to-jvm}), Onyx's
 * UDP socket with a thread of its own ({@code c-to-onyx}, as {@link CClientRuns} starts it) and
 * Onyx's UDP socket on one event loop ({@code c-to-onyx-loop}). Prints the C client's path, then
 * one line per server: its label, its port and the name of the thread that serves the C client
 * ({@code /proc}'s 15 characters of it; the script takes the busiest thread of that name).
 */
public final class PerCallServers {
  private PerCallServers() {}

  /** Starts the servers, prints where they are, and waits. */
  public static void main(String[] args) throws IOException, InterruptedException {
    CPeers peers = CPeers.build();
    if (args.length > 0 && args[0].equals("udp")) {
      udp(peers);
      return;
    }
    try (BlockingRecordServer jvm = new BlockingRecordServer();
        RpcServer dedicated = OnyxPeers.startDedicatedTcpServer()) {
      System.out.println("client " + peers.client());
      System.out.println("server c-to-jvm " + jvm.port() + " "
          + comm(BlockingRecordServer.CONNECTION_THREAD));
      System.out.println("server c-to-onyx-dedicated " + dedicated.port() + " "
          + comm("onyx-server-tcp-"));
      ready();
    }
  }

  private static void udp(CPeers peers) throws IOException, InterruptedException {
    try (BlockingDatagramServer jvm = new BlockingDatagramServer();
        RpcServer dedicated = OnyxPeers.startServer(Transport.UDP);
        RpcServer loop = RpcServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.UDP)
            .directExecutor()
            .ioThreads(1)
            .udpIo(UdpIo.EVENT_LOOP)
            .addService(AddProgram.service())
            .build()
            .start()) {
      System.out.println("client " + peers.client());
      System.out.println("server c-to-jvm " + jvm.port() + " " + comm(BlockingDatagramServer.THREAD));
      System.out.println("server c-to-onyx " + dedicated.port() + " " + comm("onyx-server-udp-"));
      System.out.println("server c-to-onyx-loop " + loop.port() + " " + comm("onyx-server-io-"));
      ready();
    }
  }

  private static void ready() throws InterruptedException {
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static String comm(String threadName) {
    return threadName.substring(0, Math.min(15, threadName.length()));
  }
}
