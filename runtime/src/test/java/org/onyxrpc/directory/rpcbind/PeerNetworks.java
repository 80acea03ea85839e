package org.onyxrpc.directory.rpcbind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Other hosts for the directory's interop tests: network namespaces, each joined to this one by a
 * veth pair on its own /24 (this host .1, the peer .2, with broadcast addresses), so that a C
 * program run in one is a caller from another machine on that network. Needs root and iproute2's
 * {@code ip}; closing deletes the pairs, then the namespaces.
 *
 * <p>The pairs go first and by name: deleting a namespace only schedules the kernel's cleanup of
 * the devices in it, so a pair left to it can still hold its name when the next test, a moment
 * later, makes the same one ("RTNETLINK answers: File exists"), and deleting a device returns once
 * it is gone.
 */
final class PeerNetworks implements AutoCloseable {
  /** One peer: its namespace and the first three bytes of its network, such as "198.51.100". */
  record Peer(String namespace, String hostSide, String network) {
    /** This host's address on the peer's network. */
    String hostAddress() {
      return network + ".1";
    }
  }

  private final NativeTools tools;
  private final List<Peer> peers = new ArrayList<>();

  private PeerNetworks(NativeTools tools) {
    this.tools = tools;
  }

  /** A peer on each of {@code networks} (documentation ranges: 198.51.100, 203.0.113). */
  static PeerNetworks create(NativeTools tools, String... networks) throws Exception {
    NativeTools.require("ip");
    PeerNetworks created = new PeerNetworks(tools);
    try {
      for (int i = 0; i < networks.length; i++) {
        created.add(i, networks[i]);
      }
    } catch (Exception | AssertionError e) {
      created.close();
      throw e;
    }
    return created;
  }

  private void add(int index, String network) throws Exception {
    String namespace = "onyx-peer-" + index;
    String hostSide = "onyxpeer" + index + "h";
    String peerSide = "onyxpeer" + index + "p";
    // Left by a run that was killed.
    tools.runAllowingFailure("ip", "link", "del", hostSide);
    tools.runAllowingFailure("ip", "netns", "del", namespace);
    tools.run("ip", "netns", "add", namespace);
    peers.add(new Peer(namespace, hostSide, network));
    tools.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", peerSide, "netns", namespace);
    tools.run("ip", "addr", "add", network + ".1/24", "brd", "+", "dev", hostSide);
    tools.run("ip", "link", "set", hostSide, "up");
    tools.run("ip", "-n", namespace, "addr", "add", network + ".2/24", "brd", "+", "dev", peerSide);
    tools.run("ip", "-n", namespace, "link", "set", peerSide, "up");
    tools.run("ip", "-n", namespace, "link", "set", "lo", "up");
  }

  List<Peer> peers() {
    return List.copyOf(peers);
  }

  /** Runs {@code command} in the peer's namespace; returns its output, or fails with it. */
  String runIn(Peer peer, String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", peer.namespace()));
    line.add(NativeTools.find(command[0]) != null ? NativeTools.find(command[0]) : command[0]);
    line.addAll(List.of(command).subList(1, command.length));
    return tools.run(line.toArray(String[]::new));
  }

  @Override
  public void close() throws IOException {
    try {
      for (Peer peer : peers) {
        tools.runAllowingFailure("ip", "link", "del", peer.hostSide()); // its peer end with it
        tools.runAllowingFailure("ip", "netns", "del", peer.namespace());
      }
    } catch (InterruptedException e) {
      // Not thrown: a try-with-resources whose body failed would suppress it, and the interrupt
      // with it. The flag keeps it.
      Thread.currentThread().interrupt();
    }
    peers.clear();
  }
}
