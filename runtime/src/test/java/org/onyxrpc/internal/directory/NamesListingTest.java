package org.onyxrpc.internal.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.transport.Transport;

/** LIST answers the named entries with the lease they have left; rpcbind's SET entries are DUMP's. */
class NamesListingTest {
  @Test
  void listsNamedEntriesWithTheirLeases() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    ServiceInstance named = new ServiceInstance("com.example.Calc", 0x20000101, 1, "tcp", "127.0.0.1.18.103", "");
    directory.register(named, Duration.ofSeconds(20));
    directory.table().set(new ServiceInstance("", 100003, 3, "udp", "127.0.0.1.8.1", "superuser"));
    try (DirectoryServer server = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory).build().start()) {
      for (Transport transport : java.util.List.of(Transport.TCP, Transport.UDP)) {
        try (RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port()).transport(transport).build()) {
          List<NamesListing.Listed> listed = rpc.call(NamesListing.LIST, null);
          List<String> names = listed.stream().map(l -> l.instance().name()).distinct().toList();
          assertEquals(List.of("com.example.Calc", "org.onyxrpc.directory"), names.stream().sorted().toList());
          NamesListing.Listed calc = listed.stream().filter(l -> l.instance().name().equals("com.example.Calc"))
              .findFirst().orElseThrow();
          assertEquals(named.key(), calc.instance().key());
          assertTrue(calc.leaseLeftMillis() > 0 && calc.leaseLeftMillis() <= 20_000, calc::toString);
        }
      }
    } finally {
      directory.close();
    }
  }
}
