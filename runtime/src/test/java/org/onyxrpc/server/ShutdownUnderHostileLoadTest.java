package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.BoundedClose;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * {@code close()} while 200 peers are each in the middle of a record (slowloris) and 8 others
 * send large calls and read none of their replies, so that the server's writes to them wait for
 * room: it ends within its shutdown timeout and a little more, leaves no server thread, and gives
 * back every descriptor of the server's, whatever the peers still hold.
 */
class ShutdownUnderHostileLoadTest {
  private static final int SLOW_PEERS = 200;
  private static final int NON_READERS = 8;

  @Test
  void closeEndsAndGivesEverythingBackUnderSlowAndNonReadingPeers() throws Exception {
    // A server started and closed first: what the JVM and Netty keep open once (jars, natives).
    RpcServer.builder().port(0).addService(new TestService().definition()).build().start().close();
    long descriptorsBefore = OpenDescriptors.count();
    java.util.Set<String> before = fds();
    Duration timeout = Duration.ofMillis(500);
    RpcServer server = RpcServer.builder().port(0).shutdownTimeout(timeout)
        .addService(new TestService().definition()).build().start();
    List<Socket> peers = new ArrayList<>();
    try {
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port());
      for (int i = 0; i < SLOW_PEERS; i++) {
        Socket s = new Socket();
        peers.add(s);
        s.connect(at);
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {(byte) 0x80, 0, 0, 100, 0, 0, 0, 1}); // 4 of a record's 100 bytes
        out.flush();
      }
      byte[] blob = new byte[1 << 20];
      for (int i = 0; i < NON_READERS; i++) {
        Socket s = new Socket();
        peers.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(at);
        OutputStream out = s.getOutputStream();
        byte[] args = new byte[4 + blob.length];
        args[1] = 0x10; // opaque<> of 1 MiB
        for (int c = 0; c < 4; c++) {
          byte[] call = RawTcpPeer.call(c + 1, TestService.PROGRAM, 1, TestService.BLOB.number(),
              OpaqueAuth.NONE, args);
          byte[] mark = {(byte) (0x80 | call.length >>> 24), (byte) (call.length >>> 16),
              (byte) (call.length >>> 8), (byte) call.length};
          out.write(mark);
          out.write(call);
        }
        out.flush();
      }
      Await.until(() -> server.stats().calls() >= NON_READERS * 2L);
      BoundedClose.closeWithin(server, timeout.plusSeconds(5));
    } finally {
      server.close();
      for (Socket s : peers) {
        try {
          s.close();
        } catch (IOException e) {
          // closed
        }
      }
    }
    if (!Await.within(() -> OpenDescriptors.count() <= descriptorsBefore, Duration.ofSeconds(10))) {
      java.util.Set<String> after = fds();
      after.removeAll(before);
      throw new AssertionError(OpenDescriptors.count() + " descriptors, " + descriptorsBefore
          + " before: " + after);
    }
  }

  private static java.util.Set<String> fds() throws IOException {
    java.util.Set<String> all = new java.util.TreeSet<>();
    try (var list = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      for (var p : list.toList()) {
        try {
          all.add(p.getFileName() + "->" + java.nio.file.Files.readSymbolicLink(p));
        } catch (IOException e) {
          // gone
        }
      }
    }
    return all;
  }
}
