package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An interface address that cannot be bound beside a wildcard UDP port: a link-local one (at
 * start, still in duplicate address detection: "Cannot assign requested address") is no WARN,
 * since the wildcard socket serves it and answers a link-local caller from the link's own
 * link-local address; any other is still one, naming the port the wildcard got (before, the
 * port asked for, 0). Fails before: the log had a WARN line for both.
 */
class UdpSocketsLinkLocalTest {
  /** Sockets stood in for by their addresses; the two interface addresses cannot be bound. */
  private static final class Refusing implements UdpSockets.Binder<InetSocketAddress> {
    @Override
    public InetSocketAddress bind(InetSocketAddress address, boolean reuseAddress) throws IOException {
      if (!address.getAddress().isAnyLocalAddress()) {
        throw new IOException("cannot listen on UDP " + ListenPlaces.hostPort(address)
            + ": Cannot assign requested address");
      }
      return new InetSocketAddress(address.getAddress(), 4711);
    }

    @Override
    public InetSocketAddress localAddress(InetSocketAddress socket) {
      return socket;
    }

    @Override
    public void reuseAddress(InetSocketAddress socket, boolean on) {}

    @Override
    public boolean ipv4WildcardIsIpv4Only() {
      return false;
    }
  }

  @Test
  void aLinkLocalAddressThatCannotBeBoundIsNoWarning() throws Exception {
    InetAddress linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::45:1").getAddress(), 5);
    InetAddress global = InetAddress.getByName("2001:db8::1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    List<InetSocketAddress> bound;
    try {
      bound = UdpSockets.bind(new Refusing(), new InetSocketAddress(InetAddress.getByName("::"), 0),
          () -> List.of(linkLocal, global));
    } finally {
      System.setErr(stderr);
    }
    assertEquals(1, bound.size(), bound.toString()); // the wildcard's alone
    List<String> warnings = err.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("WARN") && l.contains("Cannot assign requested address")).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("UDP [2001:db8:0:0:0:0:0:1]:4711: Cannot assign requested address; "
        + "the socket on [0:0:0:0:0:0:0:0]:4711 answers"), warnings.get(0));
  }
}
