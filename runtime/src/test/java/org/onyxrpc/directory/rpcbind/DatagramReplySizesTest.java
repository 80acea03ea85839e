package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;

/**
 * Every procedure of every program the directory serves (portmap 2, rpcbind 3 and 4, the names
 * program, and versions and procedures it lacks), called over UDP from this machine's own
 * address that is not loopback, which a datagram may claim from anywhere: no reply is larger than
 * README's bound for UDP replies, 1.3 times its call (one long IPv6 address; every list and error
 * is no larger than its call), but for GETADDRLIST's first entry, listed whatever the ratio. Against a table of the longest entries: wildcard and full IPv6
 * addresses, a socket path, the longest name. The indirect calls (CALLIT, BCAST), silent when
 * they fail, are left to {@code IndirectCallsTest}; INDIRECT here fails at once (nothing
 * registered at this machine's addresses). Before, GETADDR of the socket's entry answered a
 * 68-byte call with 136 bytes.
 */
class DatagramReplySizesTest {
  private static final double MOST = 1.3;
  private static final int PROGRAM = 0x20000001;
  private static final String LONGEST_V6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff.255.255";
  private static final String NAME = "n".repeat(ServiceInstance.MAX_NAME);
  /**
   * GETADDRLIST's reply of one entry at the longest IPv6 address, which it lists whatever the
   * ratio (an empty list says "not registered"): header 24, then more 4, address 4 + 48, netid
   * 4 + 4, semantics 4, family 4 + 8, protocol 4 + 4, end 4.
   */
  private static final int ONE_ENTRY = 116;

  /** This machine's address of the family that is not loopback (nor link-local), or null. */
  private static InetAddress own(boolean v6) throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (v6 ? a instanceof Inet6Address && !a.isLinkLocalAddress() : a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }

  @Test
  void noReplyToADatagramFromAnotherAddressIsMuchLargerThanItsCall() throws Exception {
    InetAddress v4 = own(false);
    assertNotNull(v4, "this test needs an IPv4 address of an interface that is not loopback");
    sweep(v4);
    InetAddress v6 = own(true);
    if (v6 != null) {
      sweep(v6);
    }
  }

  private static void sweep(InetAddress host) throws IOException {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    String owner = "o".repeat(255);
    for (String[] e : new String[][] {{"tcp6", LONGEST_V6}, {"udp6", "::.0.7"},
        {"tcp", "198.51.100.255.255.255"}, {"udp", "198.51.100.1.0.9"}, {"local", "/" + "p".repeat(106)}}) {
      directory.table().set(new ServiceInstance("", PROGRAM, 1, e[0], e[1], owner));
      directory.table().register(new ServiceInstance(NAME, PROGRAM, 1, e[0], e[1], owner), Duration.ofHours(1));
    }
    int[][] programs = {{Portmap.PROGRAM, 1, 1}, {Portmap.PROGRAM, 2, 8}, {Portmap.PROGRAM, 3, 10},
        {Portmap.PROGRAM, 4, 14}, {Portmap.PROGRAM, 5, 1}, {Names.PROGRAM, Names.VERSION, 6},
        {Names.PROGRAM, Names.VERSION + 1, 1}};
    List<byte[]> arguments = arguments();
    try (DirectoryServer server = DirectoryServer.builder().bind(host, 0).directory(directory).build().start();
        DatagramChannel peer = DatagramChannel.open()) {
      peer.bind(new InetSocketAddress(host, 0));
      peer.connect(new InetSocketAddress(host, server.port()));
      peer.socket().setSoTimeout(10_000);
      int xid = 0;
      for (int[] p : programs) {
        for (int procedure = 0; procedure < p[2]; procedure++) {
          if (p[0] == Portmap.PROGRAM && p[1] >= 2 && p[1] <= 4 && procedure == 5) {
            continue; // CALLIT, BCAST: silent when they fail
          }
          for (byte[] args : arguments) {
            byte[] call = RawRpcbind.call(++xid, 2, p[0], p[1], procedure, RawRpcbind.NONE, args);
            int reply = replyTo(peer, call, xid);
            boolean addrList = p[0] == Portmap.PROGRAM && p[1] == 4 && procedure == Rpcb.GETADDRLIST.number();
            assertTrue(reply <= Math.max(MOST * call.length, addrList ? ONE_ENTRY : 0), String.format(
                "program %d version %d procedure %d from %s: %d-byte reply to a %d-byte call (arguments %s)",
                p[0], p[1], procedure, host, reply, call.length, Arrays.toString(args)));
          }
        }
      }
    } finally {
      directory.close();
    }
  }

  /** The length of the reply that carries {@code xid}; earlier replies are skipped. */
  private static int replyTo(DatagramChannel peer, byte[] call, int xid) throws IOException {
    peer.write(ByteBuffer.wrap(call));
    byte[] in = new byte[65_536];
    while (true) {
      // A blocking channel's read does not honour SO_TIMEOUT: the socket adapter's receive does.
      DatagramPacket packet = new DatagramPacket(in, in.length);
      try {
        peer.socket().receive(packet);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no reply to xid " + xid, e);
      }
      if (packet.getLength() >= 4 && ByteBuffer.wrap(in).getInt(0) == xid) {
        return packet.getLength();
      }
    }
  }

  /** Arguments of every shape the procedures take, at their shortest, asking for the longest. */
  private static List<byte[]> arguments() {
    List<byte[]> list = new ArrayList<>();
    for (int n = 0; n <= 32; n += 16) {
      list.add(new byte[n]);
    }
    for (String netid : new String[] {"", "tcp", "udp", "tcp6", "udp6", "local"}) {
      list.add(new RawRpcbind.Out().u32(PROGRAM).u32(1).string(netid).string("").string("").bytes());
    }
    list.add(new RawRpcbind.Out().u32(PROGRAM).u32(1).u32(17).u32(0).bytes()); // GETPORT
    list.add(new RawRpcbind.Out().string(NAME).bytes());
    list.add(new RawRpcbind.Out().string("::.0.1").bytes());
    byte[] sockaddrIn6 = new byte[24];
    Arrays.fill(sockaddrIn6, (byte) 0xFF);
    sockaddrIn6[0] = 10; // AF_INET6, little-endian
    sockaddrIn6[1] = 0;
    list.add(new RawRpcbind.Out().u32(24).opaque(sockaddrIn6).bytes());
    return list;
  }
}
