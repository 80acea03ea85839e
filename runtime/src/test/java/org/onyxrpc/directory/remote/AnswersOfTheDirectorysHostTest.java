package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A directory's answers speak for the directory's host: a wildcard there is that host, and a
 * directory on another machine cannot send this process's calls to this machine's own loopback
 * or socket files. Before, GETADDRLIST's and LOOKUP's addresses were taken as written, so a
 * directory answering 0.0.0.0 (or 127.0.0.1, from elsewhere) made the client call this machine.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AnswersOfTheDirectorysHostTest {
  private static final int PROGRAM = 0x2000088A;
  private static final String NAME = "org.onyxrpc.test.Wildcard";
  private static final int PORT = 4711; // 18.103

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static String at(String host) {
    return UniversalAddress.format(new InetSocketAddress(ip(host), PORT));
  }

  private static ServiceInstance entry(String netid, String address) {
    return new ServiceInstance(NAME, PROGRAM, 1, netid, address, "0");
  }

  /** A directory on 127.0.0.2 that answers every look-up with wildcard entries of both families. */
  private static RpcServer wildcardDirectory() throws IOException {
    Rpcb.Entry v4 = new Rpcb.Entry(at("0.0.0.0"), "tcp", 3, "inet", "tcp");
    Rpcb.Entry v6 = new Rpcb.Entry(at("::"), "tcp6", 3, "inet6", "tcp");
    return RpcServer.builder().bind(ip("127.0.0.2"), 0).directory(Directory.none())
        .addService(ServiceDefinition.builder(Rpcb.PROGRAM, Rpcb.VERSION_4)
            .procedure(Rpcb.GETADDRLIST, (query, ctx) -> List.of(v4, v6)).build())
        .addService(ServiceDefinition.builder(Names.PROGRAM, Names.VERSION)
            .procedure(Names.LOOKUP, (name, ctx) -> List.of(entry("tcp", at("0.0.0.0")), entry("tcp6", at("::"))))
            .build())
        .build().start();
  }

  @Test
  void aWildcardAnsweredIsTheDirectorysHost() throws IOException {
    RpcServer server = wildcardDirectory();
    try (RemoteDirectory directory = RemoteDirectory.builder().address("127.0.0.2", server.port()).build()) {
      List<String> expected = List.of(at("127.0.0.2"), at("::1")); // IPv6: the loopback it was reached by
      assertEquals(expected, directory.lookup(PROGRAM, 1).stream().map(ServiceInstance::address).toList(),
          "GETADDRLIST");
      assertEquals(expected, directory.lookup(NAME).stream().map(ServiceInstance::address).toList(), "LOOKUP");
    } finally {
      server.close();
    }
  }

  @Test
  void aDirectoryElsewhereNamesNoLoopbackNorSocketFileOfThisMachine() {
    InetAddress elsewhere = ip("192.0.2.1"); // TEST-NET-1: the directory's host
    for (ServiceInstance here : List.of(entry("tcp", at("127.0.0.1")), entry("udp", at("127.0.0.9")),
        entry("tcp6", at("::1")), entry("tcp6", at("::ffff:127.0.0.1")), entry("local", "/run/onyx/calc.sock"))) {
      assertNull(AnsweredAddresses.reachable(here, elsewhere), here.toString());
    }
    assertEquals(at("192.0.2.1"), AnsweredAddresses.reachable(entry("tcp", at("0.0.0.0")), elsewhere).address());
    assertNull(AnsweredAddresses.reachable(entry("tcp6", at("::")), elsewhere), "no IPv6 address of its host is known");
    ServiceInstance another = entry("tcp", at("198.51.100.7"));
    assertEquals(another, AnsweredAddresses.reachable(another, elsewhere), "another host: as answered");
    ServiceInstance nonsense = entry("tcp", "no.such.address");
    assertEquals(nonsense, AnsweredAddresses.reachable(nonsense, elsewhere), "callers skip it, quoting it");
  }

  @Test
  void aDirectoryOnThisMachineNamesItsLoopbackAndSocketFiles() {
    for (InetAddress thisMachine : List.of(ip("127.0.0.1"), ip("127.0.0.2"))) {
      for (ServiceInstance here : List.of(entry("tcp", at("127.0.0.1")), entry("tcp6", at("::1")),
          entry("local", "/run/onyx/calc.sock"))) {
        assertEquals(here, AnsweredAddresses.reachable(here, thisMachine), here.toString());
      }
    }
  }
}
