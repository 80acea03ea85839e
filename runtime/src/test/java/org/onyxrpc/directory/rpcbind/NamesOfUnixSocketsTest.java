package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.directory.NamesListing;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;

/**
 * The names program's LOOKUP and LIST show a Unix-domain socket's entry (a path) to callers on
 * this machine only, as GETADDR and GETADDRLIST do: before, a caller on another machine over TCP
 * was shown this machine's socket paths, which mean nothing there.
 */
class NamesOfUnixSocketsTest {
  private static final String NAME = "org.onyxrpc.testing.Both";

  private static CallContext call(Transport t, String from) throws Exception {
    return new CallContext(1, Names.PROGRAM, Names.VERSION, 3, Credentials.NONE,
        new InetSocketAddress(InetAddress.getByName(from), 700), t);
  }

  @Test
  void aSocketPathIsShownToCallersOnThisMachineOnly() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    ServiceInstance path = new ServiceInstance(NAME, 0x20000001, 1, "local", "/run/both.sock", "superuser");
    ServiceInstance tcp = new ServiceInstance(NAME, 0x20000001, 1, "tcp", "192.0.2.9.0.80", "superuser");
    directory.table().register(path, Duration.ofMinutes(5));
    directory.table().register(tcp, Duration.ofMinutes(5));
    NamesService names = new NamesService(directory.table(), false, new Callers());

    CallContext elsewhere = call(Transport.TCP, "198.51.100.7");
    assertEquals(List.of(tcp), names.lookup(NAME, elsewhere));
    assertEquals(List.of(tcp), names.list(elsewhere).stream().map(NamesListing.Listed::instance).toList());

    CallContext here = call(Transport.TCP, "127.0.0.1");
    assertEquals(List.of(path, tcp), names.lookup(NAME, here).stream()
        .sorted(java.util.Comparator.comparing(ServiceInstance::netid)).toList());
    assertEquals(2, names.list(here).size());
    directory.close();
  }

  /**
   * More socket entries than a LOOKUP reply carries, first in order ("local" before "tcp"): a
   * remote caller still gets the name's IP entries. Before, the first 1,024 were taken and only
   * then were the paths hidden, so it got none.
   */
  @Test
  void socketEntriesTakeNoPlaceOfARemoteCallersEntries() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    for (int n = 0; n < Names.MAX_INSTANCES + 10; n++) {
      directory.table().register(new ServiceInstance(
          NAME, 0x20000001, 1, "local", "/run/many-" + n + ".sock", "superuser"), Duration.ofMinutes(5));
    }
    ServiceInstance tcp = new ServiceInstance(NAME, 0x20000001, 1, "tcp", "192.0.2.9.0.80", "superuser");
    ServiceInstance udp = new ServiceInstance(NAME, 0x20000001, 1, "udp", "192.0.2.9.0.81", "superuser");
    directory.table().register(tcp, Duration.ofMinutes(5));
    directory.table().register(udp, Duration.ofMinutes(5));
    NamesService names = new NamesService(directory.table(), false, new Callers());

    assertEquals(List.of(tcp, udp), names.lookup(NAME, call(Transport.TCP, "198.51.100.7")));
    List<ServiceInstance> here = names.lookup(NAME, call(Transport.TCP, "127.0.0.1"));
    assertEquals(Names.MAX_INSTANCES, here.size());
    assertEquals("local", here.get(Names.MAX_INSTANCES - 1).netid(), "a local caller's first 1,024");
    directory.close();
  }
}
