package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.testing.Unavailable;

/**
 * {@code onyx list HOST --transport udp} of a directory reached at an address that is not
 * loopback (as from another host: over UDP only loopback is this machine, a datagram's source
 * being forgeable): the directory refuses a list of which no entry fits a reply no larger than
 * the call, and onyx says so and what lists them (--transport tcp). Before, the directory
 * answered an empty list, and onyx printed no entry where two were.
 */
class ListOverUdpTest {
  @Test
  void aListOverUdpFromElsewhereIsRefusedAndSaysToUseTcp() throws Exception {
    InetAddress own = ownIpv4();
    try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().bind(own, 0).directory(table).build().start()) {
      table.table().set(new ServiceInstance("", 0x20000047, 1, "tcp", "192.0.2.9.0.80", "superuser"));
      table.register(new ServiceInstance("org.example.Named", 0x20000048, 1, "udp", "192.0.2.9.0.81", ""),
          Duration.ofMinutes(5));
      String at = own.getHostAddress() + ":" + directory.port();

      CommandRun udp = onyx("list", at, "--transport", "udp");
      assertEquals(4, udp.exit(), udp.toString());
      assertTrue(udp.out().contains("\"SYSTEM_ERR\""), udp.out());
      assertTrue(udp.out().contains("over UDP a directory answers another host no list larger than the call (it is"
          + " no amplifier for forged sources): --transport tcp lists them"), udp.out());

      CommandRun tcp = onyx("list", at);
      assertEquals(0, tcp.exit(), tcp.toString());
      assertTrue(tcp.out().contains("org.example.Named"), tcp.out());
      assertTrue(tcp.out().contains("536870983"), tcp.out()); // 0x20000047, the SET entry
    }
  }

  /** This machine's IPv4 address of an interface that is up and not loopback. */
  private static InetAddress ownIpv4() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    Unavailable.because("this test needs an IPv4 address of an interface that is not loopback");
    throw new AssertionError("unreachable");
  }
}
