package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;

/**
 * Who may change the directory: a caller on this machine, which over UDP means loopback only (and
 * with remote registration, another machine over TCP). A
 * datagram "from" one of the machine's own addresses may come from anywhere (Linux takes them
 * with {@code accept_local}: a forged PMAP SET from another host registered a mapping).
 */
class CallersTest {
  private static CallContext call(Transport t, InetAddress from) {
    return new CallContext(1, Portmap.PROGRAM, 2, 1, Credentials.NONE, new InetSocketAddress(from, 700), t);
  }

  /** An address of a local interface that is not loopback; the wildcard (also local) if there is none. */
  static InetAddress localNotLoopback() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return InetAddress.getByName("0.0.0.0");
  }

  @Test
  void overUdpOnlyLoopbackIsThisMachine() throws Exception {
    InetAddress own = localNotLoopback();
    assertTrue(LocalAddresses.isLocal(own), own + " is an address of this machine");
    assertTrue(Callers.onThisMachine(call(Transport.TCP, own)), "TCP's handshake proves the source");
    assertFalse(Callers.onThisMachine(call(Transport.UDP, own)), "a datagram's source may be forged");
    assertTrue(Callers.onThisMachine(call(Transport.UDP, InetAddress.getLoopbackAddress())));
    assertTrue(Callers.onThisMachine(call(Transport.TCP, InetAddress.getLoopbackAddress())));
    InetAddress elsewhere = InetAddress.getByName("198.51.100.7");
    assertFalse(Callers.onThisMachine(call(Transport.TCP, elsewhere)));
    assertFalse(Callers.onThisMachine(call(Transport.UDP, elsewhere)));
  }

  /**
   * A directory that takes registrations from other machines takes them over TCP only: a forged
   * datagram from anywhere registered a name at the address it claimed, or withdrew another
   * machine's server. Loopback datagrams cannot come from elsewhere.
   */
  @Test
  void remoteRegistrationIsOverTcpForADatagramsSourceMayBeForged() throws Exception {
    NamesService open = new NamesService(new LocalDirectory(new InMemoryDirectoryStore()).table(), true, new Callers());
    InetAddress elsewhere = InetAddress.getByName("198.51.100.7");
    assertTrue(open.mayRegister(call(Transport.TCP, elsewhere)));
    assertFalse(open.mayRegister(call(Transport.UDP, elsewhere)), "a datagram's source may be forged");
    assertFalse(open.mayRegister(call(Transport.UDP, localNotLoopback())));
    assertTrue(open.mayRegister(call(Transport.UDP, InetAddress.getLoopbackAddress())));

    NamesService closed = new NamesService(new LocalDirectory(new InMemoryDirectoryStore()).table(), false, new Callers());
    assertFalse(closed.mayRegister(call(Transport.TCP, elsewhere)));
    assertTrue(closed.mayRegister(call(Transport.TCP, InetAddress.getLoopbackAddress())));
  }

  /**
   * Whose share a SET or registration counts in ({@link CallerShares}): every address of this
   * machine is one caller, whichever a process binds (any local user may take all of 127/8, ::1
   * and the interfaces' addresses: before, each was a caller with a share of its own); another
   * machine is its address, an IPv6 host its /64 (which it may take addresses from at will).
   */
  @Test
  void everyAddressOfThisMachineIsOneCallerAndAnIpv6HostIsItsSlash64() throws Exception {
    Callers callers = new Callers();
    Object local = callers.caller(call(Transport.TCP, InetAddress.getLoopbackAddress()));
    assertEquals(Callers.THIS_MACHINE, local);
    for (String a : new String[] {"127.0.0.2", "127.255.0.9", "::1", "::ffff:127.0.0.3"}) {
      assertEquals(local, callers.caller(call(Transport.TCP, InetAddress.getByName(a))), a);
    }
    assertEquals(local, callers.caller(call(Transport.UDP, InetAddress.getByName("127.0.0.4"))));
    assertEquals(local, callers.caller(call(Transport.TCP, localNotLoopback())));

    Object v6 = callers.caller(call(Transport.TCP, InetAddress.getByName("2001:db8:1:2::1")));
    assertEquals(v6, callers.caller(call(Transport.TCP, InetAddress.getByName("2001:db8:1:2:ffff::7"))),
        "the same /64");
    assertNotEquals(v6, callers.caller(call(Transport.TCP, InetAddress.getByName("2001:db8:1:3::1"))));
    Object v4 = callers.caller(call(Transport.TCP, InetAddress.getByName("198.51.100.7")));
    assertEquals(v4, callers.caller(call(Transport.TCP, InetAddress.getByName("::ffff:198.51.100.7"))));
    assertNotEquals(v4, callers.caller(call(Transport.TCP, InetAddress.getByName("198.51.100.8"))));
    assertNotEquals(local, v4);
  }

  /**
   * Forwarded calls (CALLIT, INDIRECT) hold at most half of the directory's turns per caller:
   * every address of this machine is one caller there too. Before, a local user that forwarded
   * to a slow program from 127.0.0.2 and 127.0.0.3 held every turn, each address half.
   */
  @Test
  void forwardedCallsFromEveryAddressOfThisMachineCountForOneCaller() throws Exception {
    Object local = RemoteCalls.caller(call(Transport.TCP, InetAddress.getLoopbackAddress()));
    for (String a : new String[] {"127.0.0.2", "127.255.0.9", "::1"}) {
      assertEquals(local, RemoteCalls.caller(call(Transport.TCP, InetAddress.getByName(a))), a);
      assertEquals(local, RemoteCalls.caller(call(Transport.UDP, InetAddress.getByName(a))), a);
    }
    assertEquals(local, RemoteCalls.caller(call(Transport.TCP, localNotLoopback())));
    assertNotEquals(local, RemoteCalls.caller(call(Transport.TCP, InetAddress.getByName("198.51.100.7"))));
  }

  /** A refusal's log line names its caller as an operator knows it, not as a Java object prints. */
  @Test
  void aCallerIsNamedAsAnOperatorKnowsIt() throws Exception {
    assertEquals("uid 1000", Callers.describe("1000"));
    assertEquals("this machine (its local users over TCP and UDP)", Callers.describe(Callers.THIS_MACHINE));
    assertEquals("192.0.2.7", Callers.describe(InetAddress.getByName("192.0.2.7")));
    assertEquals("2001:db8:0:1:0:0:0:0/64", Callers.describe(InetAddress.getByName("2001:db8:0:1::")));
  }
}
