package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The local socket relays to the address the directory listens on. Before, it relayed to
 * 127.0.0.1 at the directory's port whatever the directory was bound to: bound to ::1 (or to one
 * interface's address) the directory was not there, so every local registration failed, and any
 * local user who listened on 127.0.0.1 at that port got the relayed calls of every process
 * registering through the socket, root's included, and answered them as it liked.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketBoundAddressTest {
  @TempDir
  Path dir;

  /** On ::1, and on this machine's first address other machines reach, if it has one. */
  @Test
  void theLocalSocketReachesTheDirectoryWhereverItIsBoundAndNoSquatter() throws Exception {
    reachesTheDirectoryAt(InetAddress.getByName("::1"), "ipv6-loopback.sock");
    InetAddress own = org.onyxrpc.internal.rpcbind.LocalAddresses.firstReachable(false);
    if (own != null) {
      reachesTheDirectoryAt(own, "own-address.sock");
    }
  }

  /**
   * A SET through the local socket of a directory bound to {@code host} is taken, owned by this
   * process's uid as the kernel reports it, and never reaches a squatter on 127.0.0.1.
   */
  private void reachesTheDirectoryAt(InetAddress host, String socketName) throws Exception {
    Path socket = dir.resolve(socketName);
    int uid = (Integer) java.nio.file.Files.getAttribute(dir, "unix:uid");
    try (DirectoryServer directory = DirectoryServer.builder().bind(host, 0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).localSocket(socket).build().start();
        ServerSocket squatter = new ServerSocket()) {
      // Another local user, on the IPv4 loopback at the directory's port (free: the directory
      // listens on its one address only).
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), directory.port()));
      squatter.setSoTimeout(2_000);

      Rpcb.Mapping mapping = new Rpcb.Mapping(0x20000321, 1, "tcp", "127.0.0.1.8.1", "");
      byte[] args = encode(mapping);
      byte[] call = RawTcpPeer.call(7, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, Rpcb.set(Rpcb.VERSION_4).number(),
          OpaqueAuth.NONE, args);
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.write(ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).flip());
        // Asked first: a squatter that took the call never answers it.
        Socket taken = acceptedBy(squatter);
        if (taken != null) {
          taken.close();
        }
        assertNull(taken, "the squatter on 127.0.0.1 got the relayed call");
        ByteBuffer reply = ByteBuffer.allocate(4 + 28);
        while (reply.hasRemaining() && ch.read(reply) >= 0) {
          // until the whole reply is in, or the relay closed
        }
        assertEquals(0, reply.remaining(), "the relay closed without a reply");
        assertEquals(1, reply.getInt(4 + 24), "SET through the local socket");
      }
      assertEquals(List.of(org.onyxrpc.internal.rpcbind.Owners.of(uid)), directory.directory().table().local().stream()
          .filter(i -> i.program() == 0x20000321).map(i -> i.owner()).toList(), "owned by the uid the kernel reports");
    }
  }

  private static Socket acceptedBy(ServerSocket listener) throws IOException {
    try {
      return listener.accept();
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static byte[] encode(Rpcb.Mapping mapping) {
    io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
    try {
      Rpcb.Mapping.CODEC.encode(new XdrWriter(buf), mapping);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }
}
