package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * The uid of a connection relayed from the local socket is credited to that TCP connection only.
 * It was looked up by the caller's address and port alone, whatever the transport: any local
 * user could read the relay's source port from /proc/net/tcp (world-readable) and send a SET or
 * UNSET over UDP from 127.0.0.1 at that port, which the directory then took as the relayed
 * process's, root's included (an UNSET of anyone's entry, places kept for the superuser).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketOwnerOverUdpTest {
  @TempDir
  Path dir;

  @Test
  void aDatagramFromARelayedConnectionsPortSpeaksForNobody() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        SocketChannel relayed = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      relayed.connect(UnixDomainSocketAddress.of(socket));
      byte[] ping = RawTcpPeer.call(1, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 0, OpaqueAuth.NONE, new byte[0]);
      relayed.write(ByteBuffer.allocate(4 + ping.length).putInt(0x8000_0000 | ping.length).put(ping).flip());
      ByteBuffer pong = ByteBuffer.allocate(4 + 24);
      while (pong.hasRemaining() && relayed.read(pong) >= 0) {
        // the relay is connected once its call is answered
      }
      assertEquals(0, pong.remaining(), "the relayed NULL call was answered");

      int port = relaySourcePort(fixture.port());
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        udp.setSoTimeout(5_000);
        byte[] set = set(0x20000654, "127.0.0.1.8.2");
        udp.send(new DatagramPacket(set, set.length, InetAddress.getLoopbackAddress(), fixture.port()));
        DatagramPacket reply = new DatagramPacket(new byte[64], 64);
        udp.receive(reply);
        assertEquals(1, ByteBuffer.wrap(reply.getData()).getInt(24), "SET over UDP from loopback");
      }
      List<String> owners = fixture.directory.table().local().stream()
          .filter(i -> i.program() == 0x20000654).map(i -> i.owner()).toList();
      assertEquals(List.of(Owners.UNKNOWN), owners, "a datagram took the relayed connection's uid");
      assertNotEquals(Owners.UNKNOWN, Owners.of((Integer) Files.getAttribute(dir, "unix:uid")));
    }
  }

  /**
   * The source port of the one connection from 127.0.0.1 to {@code port}, as /proc/net/tcp (or
   * tcp6, as ::ffff:127.0.0.1, for a JVM's dual-stack sockets) shows it to any user.
   */
  private static int relaySourcePort(int port) throws Exception {
    String to = String.format("0100007F:%04X", port);
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[2].endsWith(to) && f[1].contains("0100007F:") && f[3].equals("01")) {
          return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        }
      }
    }
    throw new AssertionError("no connection to 127.0.0.1:" + port + " in /proc/net/tcp or tcp6");
  }

  /** An rpcbind v4 SET of {@code program} version 1 on tcp at {@code uaddr}, AUTH_NONE. */
  private static byte[] set(int program, String uaddr) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    for (int w : new int[] {9, 0, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 1, 0, 0, 0, 0, program, 1}) {
      out.writeInt(w);
    }
    for (String s : new String[] {"tcp", uaddr, ""}) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      out.writeInt(b.length);
      out.write(b);
      out.write(new byte[(4 - b.length % 4) % 4]);
    }
    return bytes.toByteArray();
  }
}
