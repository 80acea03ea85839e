package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A directory on this machine's loopback lists a program version's entries of both IP families,
 * whichever family it was asked over. rpcbind's GETADDRLIST answers only the caller's family, so
 * at 127.0.0.1 it hid a server listening over IPv6 alone; its DUMP fills in the family the list
 * lacks (Ipv6OnlyServersThroughDebianRpcbindInteropTest has the real rpcbind). Here fake
 * rpcbinds on 127.0.0.1 answer as rpcbind does, or list both, or have no DUMP.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class FamiliesOfALoopbackDirectoryTest {
  private static final int PROGRAM = 0x2000088B;
  private static final int PORT = 4711; // 18.103

  private static String at(String host) {
    try {
      return UniversalAddress.format(new InetSocketAddress(InetAddress.getByName(host), PORT));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final Rpcb.Entry TCP = new Rpcb.Entry(at("127.0.0.1"), "tcp", 3, "inet", "tcp");
  private static final Rpcb.Entry TCP6 = new Rpcb.Entry(at("::1"), "tcp6", 3, "inet6", "tcp");
  /** DUMP as rpcbind has it: the IPv4 entry, a wildcard over IPv6, and another program's. */
  private static final List<Rpcb.Mapping> DUMP = List.of(
      new Rpcb.Mapping(PROGRAM, 1, "tcp", at("0.0.0.0"), "superuser"),
      new Rpcb.Mapping(PROGRAM, 1, "udp6", at("::"), "superuser"),
      new Rpcb.Mapping(PROGRAM + 1, 1, "tcp6", at("::1"), "superuser"),
      new Rpcb.Mapping(PROGRAM, 2, "tcp6", at("::1"), "superuser"));

  private final AtomicInteger dumps = new AtomicInteger();

  private RpcServer directory(List<Rpcb.Entry> listed, boolean hasDump) throws IOException {
    ServiceDefinition.Builder rpcbind = ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
        .procedure(Rpcb.GETADDRLIST, (query, ctx) -> listed);
    if (hasDump) {
      rpcbind.procedure(Rpcb.dump(Rpcb.VERSION_4), (none, ctx) -> {
        dumps.incrementAndGet();
        return DUMP;
      });
    }
    return RpcServer.builder().bind(InetAddress.getByName("127.0.0.1"), 0).directory(Directory.none())
        .addService(rpcbind.build()).build().start();
  }

  private List<String> lookup(RpcServer server) {
    try (RemoteDirectory directory = RemoteDirectory.builder().address("127.0.0.1", server.port()).build()) {
      return directory.lookup(PROGRAM, 1).stream().map(i -> i.netid() + " " + i.address()).toList();
    }
  }

  @Test
  void theFamilyGetaddrlistLeftOutIsReadFromDump() throws IOException {
    try (RpcServer server = directory(List.of(TCP), true)) {
      assertEquals(List.of("tcp " + at("127.0.0.1"), "udp6 " + at("::1")), lookup(server));
    }
    try (RpcServer server = directory(List.of(TCP6), true)) {
      assertEquals(List.of("tcp6 " + at("::1"), "tcp " + at("127.0.0.1")), lookup(server));
    }
  }

  @Test
  void aListOfBothFamiliesIsTakenAsItIs() throws IOException {
    try (RpcServer server = directory(List.of(TCP, TCP6), true)) {
      assertEquals(List.of("tcp " + at("127.0.0.1"), "tcp6 " + at("::1")), lookup(server));
      assertEquals(0, dumps.get(), "no DUMP asked");
    }
  }

  @Test
  void withoutDumpTheListStands() throws IOException {
    try (RpcServer server = directory(List.of(TCP), false)) {
      assertEquals(List.of("tcp " + at("127.0.0.1")), lookup(server));
    }
  }
}
