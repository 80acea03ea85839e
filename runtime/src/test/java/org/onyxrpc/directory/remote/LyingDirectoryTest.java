package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.AnsweringDirectory;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * A directory whose answers are mostly of no use to the client: entries of another transport
 * and addresses that do not parse, listed before the usable ones. They must not take the places
 * {@link DirectoryClientBuilder#maxInstances(int)} gives to instances the client can call.
 */
class LyingDirectoryTest {
  private static final int PROGRAM = 0x20000889;
  private static final String NAME = "org.onyxrpc.test.Lied";

  private static ServiceInstance entry(String netid, String address) {
    return new ServiceInstance(NAME, PROGRAM, 1, netid, address, "0");
  }

  @Test
  void entriesTheClientCannotCallTakeNoPlaceOfUsableOnes() {
    List<ServiceInstance> entries = new ArrayList<>();
    for (int port = 1000; port < 1064; port++) {
      entries.add(entry("udp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff))); // a TCP client's no use
    }
    for (int i = 0; i < 64; i++) {
      entries.add(entry("tcp", "no.such.address." + i)); // does not parse
    }
    entries.add(entry("tcp", "127.0.0.1.18.103")); // port 4711
    entries.add(entry("tcp", "127.0.0.1.18.104"));
    for (boolean byName : new boolean[] {true, false}) {
      DirectoryClientBuilder b = DirectoryClient.builder().directory(new AnsweringDirectory(entries));
      try (DirectoryClient c = (byName ? b.service(NAME) : b.program(PROGRAM, 1)).build()) {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4711), new InetSocketAddress("127.0.0.1", 4712)),
            c.instances(PROGRAM, 1), byName ? "by name" : "by number");
      }
    }
  }

  @Test
  void anEntryAtPortZeroIsNoInstance() {
    List<ServiceInstance> entries = List.of(entry("tcp", "127.0.0.1.0.0"), entry("tcp", "0.0.0.0.0.0"),
        entry("tcp", "127.0.0.1.18.103"));
    try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(entries)).service(NAME).build()) {
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4711)), c.instances(PROGRAM, 1));
    }
  }

  /**
   * A group (multicast) address or the limited broadcast is no server's: a UDP client connected
   * there sent each call, its credential and arguments to every host of the network that joined
   * the group (224.0.0.1 is all of them; no option is needed to send to a group, where a
   * broadcast needs SO_BROADCAST), and a call may then run on each of them while no reply can
   * come back from the group's address. Before, such entries were instances like any other.
   */
  @Test
  void aGroupOrBroadcastAddressIsNoInstance() {
    List<ServiceInstance> entries = List.of(entry("udp", "224.0.0.1.18.103"), entry("udp", "239.255.1.2.18.103"),
        entry("udp6", "ff02::1.18.103"), entry("udp6", "::ffff:224.0.0.1.18.103"),
        entry("udp", "255.255.255.255.18.103"), entry("udp", "127.0.0.1.18.104"));
    try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(entries)).service(NAME)
        .transport(Transport.UDP).build()) {
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4712)), c.instances(PROGRAM, 1));
    }
    for (ServiceInstance group : entries.subList(0, 5)) {
      RpcException e = assertThrows(RpcException.class,
          () -> new AnsweringDirectory(List.of(group)).address(PROGRAM, 1, Transport.UDP), group.address());
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().contains("at '" + group.address() + "', not an address a client can call"),
          e.getMessage());
    }
  }

  @Test
  void atMostMaxInstancesUsableOnesAreKept() {
    List<ServiceInstance> entries = new ArrayList<>();
    for (int port = 2000; port < 2010; port++) {
      entries.add(entry("udp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff)));
      entries.add(entry("tcp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff)));
    }
    try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(entries)).service(NAME)
        .maxInstances(3).build()) {
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2000), new InetSocketAddress("127.0.0.1", 2001),
          new InetSocketAddress("127.0.0.1", 2002)), c.instances(PROGRAM, 1));
    }
  }

  /**
   * The limit is per version: a name's version 2, listed after more version 1 entries than the
   * limit, still has its instances. Before, one limit for all versions kept version 1's first
   * three, and calls of version 2 found no instance though the directory had two.
   */
  @Test
  void maxInstancesIsPerVersion() {
    List<ServiceInstance> entries = new ArrayList<>();
    for (int port = 3000; port < 3005; port++) {
      entries.add(entry("tcp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff)));
    }
    entries.add(new ServiceInstance(NAME, PROGRAM, 2, "tcp", "127.0.0.1.11.194", "0")); // 3010
    entries.add(new ServiceInstance(NAME, PROGRAM, 2, "tcp", "127.0.0.1.11.195", "0"));
    try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(entries)).service(NAME)
        .maxInstances(3).build()) {
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3010), new InetSocketAddress("127.0.0.1", 3011)),
          c.instances(PROGRAM, 2));
      assertEquals(3, c.instances(PROGRAM, 1).size());
    }
  }
}
