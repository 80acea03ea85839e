package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
  private static InetAddress localNotLoopback() throws Exception {
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
}
