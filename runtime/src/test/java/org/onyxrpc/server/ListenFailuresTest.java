package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a user who is not root reads when a server cannot listen. Binding port 111 (the
 * directory's) said "Permission denied" alone, which reads as a file's or a firewall's refusal;
 * root binds any port, so the failure is made here as Netty's native transport reports it.
 */
class ListenFailuresTest {
  private static final BindException DENIED = new BindException("bind(..) failed with error(-13): Permission denied");

  @Test
  void aPrivilegedPortSaysWhoMayBindItAndWhereToGo() {
    assertEquals("cannot listen on TCP 0.0.0.0:111: Permission denied (ports below 1024 need root or "
            + "CAP_NET_BIND_SERVICE; choose a port from 1024 up)",
        ListenFailures.message("TCP 0.0.0.0:111", new InetSocketAddress(111), DENIED, 1024));
  }

  @Test
  void theLimitIsTheSystemsOne() {
    assertEquals("cannot listen on UDP 0.0.0.0:2049: Permission denied (ports below 4096 need root or "
            + "CAP_NET_BIND_SERVICE; choose a port from 4096 up)",
        ListenFailures.message("UDP 0.0.0.0:2049", new InetSocketAddress(2049), DENIED, 4096));
  }

  @Test
  void otherFailuresAndPlacesAreTheSystemsWordsAlone() {
    assertEquals("cannot listen on TCP 0.0.0.0:4711: Permission denied",
        ListenFailures.message("TCP 0.0.0.0:4711", new InetSocketAddress(4711), DENIED, 1024));
    assertEquals("cannot listen on TCP 0.0.0.0:111: Address already in use",
        ListenFailures.message("TCP 0.0.0.0:111", new InetSocketAddress(111),
            new BindException("bind(..) failed with error(-98): Address already in use"), 1024));
    assertEquals("cannot listen on Unix-domain socket /run/x.sock: Permission denied",
        ListenFailures.message("Unix-domain socket /run/x.sock", new DomainSocketAddress("/run/x.sock"), DENIED, 1024));
  }

  @Test
  void theSystemsLimitIsReadWhole() throws Exception {
    // Files.readString of the /proc file, whose size reads 0, gave "1" of "1024": no hint then.
    Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").start();
    int expected = Integer.parseInt(new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
    assertEquals(0, cat.waitFor());
    assertEquals(expected, ListenFailures.unprivilegedPortStart());
  }
}
