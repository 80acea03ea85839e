package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LoggedOnce;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * A flood of connections past the process's descriptor limit: accept(2) fails with EMFILE while
 * the peers' connections wait in the backlog. The acceptor must not retry at once in a loop
 * (Netty's "accept storm": a core spent failing the same accept), and once connections close the
 * port must take newcomers again and answer their calls. A child JVM under {@code ulimit -n 256}
 * serves; this JVM floods it with 400 raw connections. The failure is logged as one WARN line.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AcceptAtDescriptorLimitTest {
  private static final int FLOOD = 400;
  private static final int PROGRAM = 0x20000777;

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void theAcceptorWaitsAtTheDescriptorLimitAndRecovers(TcpIo io) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile("accept-at-limit", ".log");
    Process child = new ProcessBuilder("bash", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"", java,
        "-cp", System.getProperty("java.class.path"), AcceptAtDescriptorLimitTest.class.getName(),
        io.name()).redirectError(log.toFile()).start();
    List<RawTcpPeer> flood = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
      int port = Integer.parseInt(out.readLine());
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      for (int i = 0; i < FLOOD; i++) {
        flood.add(new RawTcpPeer(port, loopback)); // the kernel completes them in the backlog
      }
      in.println("failing"); // the child answers once its acceptor has met the limit
      assertEquals("failing", out.readLine());
      // A spinning acceptor fails accept(2) as fast as it can: tens of milliseconds of its CPU
      // between the two looks. One that waits does not run at all until a connection ends.
      in.println("cpu");
      long before = Long.parseLong(out.readLine());
      for (int i = 0; i < 200; i++) { // 200 round trips with the child: its threads get to run
        in.println("ping");
        assertEquals("pong", out.readLine());
      }
      in.println("cpu");
      long spent = Long.parseLong(out.readLine()) - before;
      for (RawTcpPeer peer : flood) {
        peer.close();
      }
      // Newcomers are taken again: a call on a new connection is answered (behind the flood's
      // connections still in the backlog, accepted and closed first).
      nullCall(port, 77);
      assertTrue(spent < TimeUnit.MILLISECONDS.toNanos(20),
          io + ": the acceptor spent " + spent + " ns of CPU failing accept(2) over 200 round trips");
      in.println("exit");
      assertEquals(0, child.waitFor());
      // Told once, as one line: on the event loops each failure reached the pipeline's end,
      // which logged a WARN and a stack trace for every second of the flood.
      LoggedOnce.assertToldOnce(log, "cannot accept on");
    } finally {
      Files.deleteIfExists(log);
      for (RawTcpPeer peer : flood) {
        peer.close();
      }
      child.destroyForcibly();
    }
  }

  /**
   * The child: a server of one program under the descriptor limit, answering the parent's lines
   * on stdin: "failing" once accept(2) has failed, "cpu" with the accepting thread's CPU time.
   */
  public static void main(String[] args) throws Exception {
    TcpIo io = TcpIo.valueOf(args[0]);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getByName("127.0.0.1"), 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(io).maxConnections(10_000)
        .addService(ServiceDefinition.builder(PROGRAM, 1).build()).build().start()) {
      // What a call and the looks need loaded while descriptors are left: at the limit a class
      // read from a directory of classes cannot be opened.
      acceptorCpu(io);
      limitMet();
      nullCall(server.port(), 1);
      System.out.println(server.port());
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = commands.readLine()) != null && !line.equals("exit"); ) {
        switch (line) {
          case "failing" -> {
            while (!limitMet()) {
              Thread.onSpinWait();
            }
            System.out.println("failing");
          }
          case "cpu" -> System.out.println(acceptorCpu(io));
          default -> System.out.println("pong");
        }
      }
    }
  }

  private static void nullCall(int port, int xid) throws IOException {
    try (RawTcpPeer caller = new RawTcpPeer(port, InetAddress.getByName("127.0.0.1"))) {
      caller.timeout(60_000);
      caller.sendRecord(RawTcpPeer.call(xid, 2, PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      assertEquals(xid, caller.readReply().xid());
    }
  }

  /** True once this process cannot open another descriptor (its acceptor took the rest). */
  private static boolean limitMet() {
    try {
      java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
      pipe.source().close();
      pipe.sink().close();
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** CPU time of the thread that accepts: the dedicated acceptor, or the server's event loops. */
  private static long acceptorCpu(TcpIo io) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String prefix = io == TcpIo.DEDICATED_THREAD ? BlockingTcpListener.ACCEPTOR_PREFIX : "onyx-server-";
    long cpu = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        cpu += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return cpu;
  }
}
