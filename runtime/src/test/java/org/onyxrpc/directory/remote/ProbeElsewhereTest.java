package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.UniversalAddress;

/**
 * An entry in the way of a registration is probed only where the directory's host is: rpcbind
 * takes SET from its own host only, so an entry naming another host is no server of that host
 * that died, and probing it would let a directory (lying, or shared) make every registering
 * server connect to any host and port it names. An entry on this machine's loopback, in a
 * directory on another host, names that host's loopback, not this one's.
 */
class ProbeElsewhereTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void anEntryOnAnotherHostThanTheDirectorysIsNotProbed() throws Exception {
    InetAddress elsewhere = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}); // TEST-NET-1: the directory's host
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String entry = UniversalAddress.format((InetSocketAddress) listening.getLocalSocketAddress());
      assertEquals(EntryProbe.Finding.UNKNOWN, EntryProbe.probe("tcp", entry, elsewhere, 1, 1, TIMEOUT),
          "this machine's loopback, for a directory on 192.0.2.1");
      // Nothing connected: the first connection accepted is this one.
      try (Socket mine = new Socket(InetAddress.getLoopbackAddress(), listening.getLocalPort());
          Socket accepted = listening.accept()) {
        assertEquals(mine.getLocalPort(), accepted.getPort(), "the probe connected");
      }
    }
  }

  @Test
  void anEntryOnThisMachineIsProbedForADirectoryOnThisMachine() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String entry = UniversalAddress.format((InetSocketAddress) listening.getLocalSocketAddress());
      assertEquals(EntryProbe.Finding.LISTENING,
          EntryProbe.probe("tcp", entry, InetAddress.getLoopbackAddress(), 1, 1, TIMEOUT));
    }
  }
}
