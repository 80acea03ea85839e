package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * A peer of the local socket that shuts its side once its calls are sent gets their replies, then
 * the end of the stream, as over the directory's TCP port. Before, the relay closed the whole
 * connection on the peer's end of stream, and the replies were lost (what the peer sent before
 * it was even relayed: the end of stream makes the relay read at once, before its connection to
 * the directory was up).
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LocalSocketHalfCloseTest {
  @TempDir
  Path dir;

  @Test
  void callsSentBeforeAHalfCloseAreAllAnswered() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteArrayOutputStream calls = new ByteArrayOutputStream();
      for (int xid = 1; xid <= 3; xid++) { // NULL calls: a reply of 24 bytes each
        byte[] call = RawTcpPeer.call(xid, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 0, OpaqueAuth.NONE, new byte[0]);
        calls.writeBytes(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
        calls.writeBytes(call);
      }
      ByteBuffer out = ByteBuffer.wrap(calls.toByteArray());
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ch.shutdownOutput();

      ByteBuffer in = ByteBuffer.allocate(4096);
      while (ch.read(in) >= 0) { // until the relay closes its side
        if (!in.hasRemaining()) {
          break;
        }
      }
      in.flip();
      List<Integer> xids = new ArrayList<>();
      while (in.remaining() >= 4) {
        int length = in.getInt() & 0x7FFF_FFFF;
        xids.add(in.getInt(in.position()));
        in.position(in.position() + length);
      }
      xids.sort(null); // the directory may answer a connection's calls in any order
      assertEquals(List.of(1, 2, 3), xids, "every reply, then the end of the stream");
    }
  }

  @Test
  void aHalfCloseWithNothingSentClosesTheConnection() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.shutdownOutput();
      assertTrue(ch.read(ByteBuffer.allocate(16)) < 0, "the end of the stream, nothing before it");
    }
  }
}
