package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.transport.Transport;

/**
 * A {@link RemoteDirectory} looks a program version up in an older rpcbind, an Onyx directory
 * behind {@link OlderRpcbind}: version 4 without GETADDRLIST, version 3 only, or portmap's
 * version 2 only. It reads DUMP, so it finds each netid's own entry (tcp6 too, where the
 * version holds it), and no other version's entry for a version that has none, which GETADDR
 * and GETPORT answer with.
 */
class OlderRpcbindLookupTest {
  private static final int PROGRAM = 0x2000_0a71;
  private static final String NAME = "org.onyxrpc.testing.Older";

  private static String uaddr(String host, int port) {
    return host + "." + (port >> 8) + "." + (port & 0xff);
  }

  @ParameterizedTest(name = "rpcbind versions up to {0}")
  @ValueSource(ints = {4, 3, 2})
  void eachNetidIsFoundAtItsOwnPortAndNoOtherVersionStandsIn(int highest) throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture();
        OlderRpcbind older = new OlderRpcbind(new InetSocketAddress("127.0.0.1", fixture.port()), highest);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", older.port())) {
      Duration lease = Duration.ofMinutes(5);
      fixture.directory.register(new ServiceInstance(NAME, PROGRAM, 1, "tcp", uaddr("127.0.0.1", 5001), ""), lease);
      // A server bound to every address: found at the directory's host, as GETADDR merges it.
      fixture.directory.register(new ServiceInstance(NAME, PROGRAM, 1, "udp", uaddr("0.0.0.0", 5002), ""), lease);
      fixture.directory.register(new ServiceInstance(NAME, PROGRAM, 1, "tcp6", uaddr("::1", 5003), ""), lease);
      fixture.directory.register(new ServiceInstance(NAME, PROGRAM, 1, "udp6", uaddr("::", 5004), ""), lease);

      Set<ServiceInstance> expected = highest == 2
          ? Set.of(found("tcp", uaddr("127.0.0.1", 5001)), found("udp", uaddr("127.0.0.1", 5002)))
          : Set.of(found("tcp", uaddr("127.0.0.1", 5001)), found("udp", uaddr("127.0.0.1", 5002)),
              found("tcp6", uaddr("::1", 5003)), found("udp6", uaddr("::1", 5004)));
      assertEquals(expected, Set.copyOf(remote.lookup(PROGRAM, 1)));
      assertEquals(5002, remote.address(PROGRAM, 1, Transport.UDP).getPort());
      assertEquals(5001, remote.address(PROGRAM, 1, Transport.TCP).getPort());
      assertEquals(List.of(), remote.lookup(PROGRAM, 2), "version 1's entries are not version 2's");
    }
  }

  private static ServiceInstance found(String netid, String address) {
    return new ServiceInstance("", PROGRAM, 1, netid, address, "");
  }
}
