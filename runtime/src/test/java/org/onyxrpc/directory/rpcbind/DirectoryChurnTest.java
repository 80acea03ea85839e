package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * Connections to the directory that come and go by the thousand: over TCP from eight addresses,
 * closed at once or reset half-way through a call, and through its local socket, closed at once
 * or after half a call. Afterwards the relay credits no connection with an owner, no descriptor
 * is left open, and the directory serves.
 */
class DirectoryChurnTest {
  private static final int CYCLES = 1_000;
  private static final InetAddress[] FROM = Stream.of(2, 3, 4, 5, 6, 7, 8, 9)
      .map(i -> LoopbackHosts.host("127.0.0." + i)).toArray(InetAddress[]::new);

  @TempDir Path work;

  /** rpcbind version 4's NULL procedure. */
  private static byte[] ping(int xid) {
    return RawTcpPeer.call(xid, 2, Rpcb.PROGRAM, 4, 0, OpaqueAuth.NONE, new byte[0]);
  }

  private static ByteBuffer record(byte[] call, int length) {
    return ByteBuffer.allocate(4 + length).putInt(0x8000_0000 | call.length).put(call, 0, length).flip();
  }

  private SocketChannel local(Path socket) throws IOException {
    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
    c.connect(UnixDomainSocketAddress.of(socket));
    return c;
  }

  private static void writeAll(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /** A whole call through the local socket, and its reply's accept_stat. */
  private int pingLocally(Path socket, int xid) throws IOException {
    try (SocketChannel c = local(socket)) {
      byte[] call = ping(xid);
      writeAll(c, record(call, call.length));
      ByteBuffer reply = ByteBuffer.allocate(4 + 24);
      while (reply.hasRemaining()) {
        if (c.read(reply) < 0) {
          throw new IOException("closed before the reply");
        }
      }
      return reply.getInt(4 + 20);
    }
  }

  @Test
  void connectionsThatComeAndGoLeaveNothingBehind() throws Exception {
    Path socket = work.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket)) {
      // One whole call each way first, so that what a served connection opens once is open already.
      assertEquals(0, pingLocally(socket, 1));
      try (RawTcpPeer warm = new RawTcpPeer(fixture.port(), FROM[0])) {
        warm.sendRecord(ping(2));
        assertEquals(0, ByteBuffer.wrap(warm.readRecord()).getInt(20));
      }
      Await.until(() -> LocalSocketRelay.ownedSources() == 0);
      long baseline = OpenDescriptors.count();

      byte[] call = ping(3);
      for (int i = 0; i < CYCLES; i++) {
        new RawTcpPeer(fixture.port(), FROM[i % FROM.length]).close();
        RawTcpPeer half = new RawTcpPeer(fixture.port(), FROM[(i + 3) % FROM.length]);
        half.writeInt(0x8000_0000 | call.length);
        half.sendRaw(Arrays.copyOf(call, call.length / 2));
        half.reset();
        local(socket).close();
        try (SocketChannel c = local(socket)) {
          writeAll(c, record(call, call.length / 2));
        }
      }

      Await.until(() -> LocalSocketRelay.ownedSources() == 0);
      Await.until(() -> OpenDescriptors.count() <= baseline);
      assertEquals(0, pingLocally(socket, 4), "and it still serves");
      try (RawTcpPeer after = new RawTcpPeer(fixture.port(), FROM[1])) {
        after.sendRecord(ping(5));
        assertEquals(0, ByteBuffer.wrap(after.readRecord()).getInt(20));
      }
    }
  }
}
