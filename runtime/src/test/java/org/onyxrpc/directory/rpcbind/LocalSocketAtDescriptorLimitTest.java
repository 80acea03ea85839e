package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.testing.LoggedOnce;

/**
 * The local socket relay's accept(2) failing at the descriptor limit (EMFILE): one WARN line and
 * a second's pause, as on a server's ports (AcceptFailures), where Netty's pipeline end logged a
 * WARN and a stack trace each second for as long as the limit held. A child JVM under {@code
 * ulimit -n 256} runs a relay, then takes every descriptor left; this JVM connects to the local
 * socket, and the connection waits in the backlog while each accept fails. Once the child lets
 * its descriptors go, the waiting connection is accepted and relayed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketAtDescriptorLimitTest {
  @TempDir
  Path dir;

  @Test
  void aFailedAcceptIsOneLineAndTheRelayRecovers() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(NettyTransports.epoll(), "the relay needs epoll");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("child.log");
    Path socket = dir.resolve("rpcbind.sock");
    Process child = new ProcessBuilder("bash", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"", java,
        "-cp", System.getProperty("java.class.path"), LocalSocketAtDescriptorLimitTest.class.getName(),
        socket.toString()).redirectError(log.toFile()).start();
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
      assertEquals("full", out.readLine(), "the child holds every descriptor");
      try (SocketChannel waiting = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        waiting.connect(UnixDomainSocketAddress.of(socket)); // completed in the backlog
        // The relay's accept fails now, and again after each pause: wait for the first to be told.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!told(Files.readString(log))) {
          assertTrue(System.nanoTime() < deadline, "the child never told a failed accept: " + Files.readString(log));
          Thread.onSpinWait();
        }
        in.println("release");
        assertEquals("relayed", out.readLine(), "the waiting connection, accepted once descriptors are back");
      }
      in.println("exit");
      assertEquals(0, child.waitFor());
      LoggedOnce.assertToldOnce(log, "cannot accept on");
    } finally {
      child.destroyForcibly();
    }
  }

  /** True once the child's log tells a failed accept, as one line or as Netty's pipeline end does. */
  private static boolean told(String log) {
    return log.contains("cannot accept on") || log.contains("exceptionCaught");
  }

  private static SocketChannel accepting(ServerSocketChannel target, SocketChannel local, Path socket)
      throws IOException {
    local.connect(UnixDomainSocketAddress.of(socket));
    return target.accept();
  }

  /** How many descriptors this process holds. */
  private static long openDescriptors() throws IOException {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Sends a byte from {@code from} and reads it at {@code to}. */
  private static void echo(SocketChannel from, SocketChannel to) throws IOException {
    from.write(ByteBuffer.wrap(new byte[] {7}));
    ByteBuffer in = ByteBuffer.allocate(1);
    while (in.hasRemaining()) {
      if (to.read(in) < 0) {
        throw new IOException("closed before the byte came");
      }
    }
  }

  /**
   * The child: a relay on the socket named by {@code args[0]} to a TCP port that accepts only
   * when told; prints "full" once it holds every descriptor, and "relayed" once, told "release",
   * it has let them go and the relay has connected a waiting local connection to the port.
   */
  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    try (ServerSocketChannel target = ServerSocketChannel.open()) {
      target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      try (LocalSocketRelay relay = LocalSocketRelay.start(socket, (InetSocketAddress) target.getLocalAddress())) {
        long baseline = openDescriptors();
        // One connection relayed both ways and closed while descriptors are left: what it needs
        // is loaded (classes read from a directory cannot be at the limit).
        try (SocketChannel first = SocketChannel.open(StandardProtocolFamily.UNIX);
            SocketChannel relayed = accepting(target, first, socket)) {
          echo(first, relayed);
          echo(relayed, first);
          first.close();
          while (relayed.read(ByteBuffer.allocate(16)) >= 0) {
            // until the relay closes its side
          }
        }
        // Both of the relay's descriptors of that connection closed before the rest are taken: one
        // let go afterwards is accepted, fails its connection to the port and is let go again,
        // and no accept would fail.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openDescriptors() > baseline && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        // A WARN line written as AcceptFailures writes one: the logger's classes are loaded too.
        new org.onyxrpc.internal.RateLimitedLog(org.onyxrpc.internal.RateLimitedLog.DEFAULT_INTERVAL).warn(
            org.slf4j.LoggerFactory.getLogger("child"), "relayed once on {}: {}", socket, "ready");
        List<Pipe> held = new ArrayList<>();
        List<SocketChannel> odd = new ArrayList<>(); // one descriptor each: the last, if a pipe's two are not left
        try {
          while (true) {
            held.add(Pipe.open());
          }
        } catch (IOException pipesFull) {
          try {
            while (true) {
              odd.add(SocketChannel.open());
            }
          } catch (IOException full) {
            System.out.println("full");
          }
        }
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null && !line.equals("exit"); ) {
          if (line.equals("release")) {
            for (Pipe pipe : held) {
              pipe.source().close();
              pipe.sink().close();
            }
            held.clear();
            for (SocketChannel channel : odd) {
              channel.close();
            }
            target.accept().close();
            System.out.println("relayed");
          }
        }
      }
    }
  }
}
