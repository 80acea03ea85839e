package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerStats;
import org.onyxrpc.server.UdpIo;
import org.onyxrpc.transport.Transport;

/**
 * libtirpc's UDP clients against an Onyx server on the wildcard address, with each {@link UdpIo}:
 * the UDP socket's own thread ({@link UdpIo#DEDICATED_THREAD}, direct executor, as the
 * benchmarks' Onyx server) and the event loop (the default), which must look the same to them.
 * Over udp to 127.0.0.1 and to this machine's other IPv4 addresses, over udp6 (clnt_tli_create)
 * to ::1 and to its global IPv6 addresses (the dedicated mode serves IPv6 on sockets of each
 * interface address, not on a wildcard): the calls and errors transcripts byte for byte, a call
 * resent from 20 ms on runs once, and {@code rpcinfo -a UADDR -T udp|udp6} pings it ({@code -n PORT
 * -u} asks rpcbind on port 111 first all the same, which this test does not hold).
 */
class CClientsOnEitherUdpIoTest {
  @TempDir static Path work;

  private static NativeInterop c;
  private static final Map<UdpIo, RpcServer> servers = new EnumMap<>(UdpIo.class);

  @BeforeAll
  static void startOnyxServers() throws Exception {
    c = NativeInterop.build(work);
    for (UdpIo io : UdpIo.values()) {
      RpcServerBuilder b = RpcServer.builder()
          .bind(InetAddress.getByName("0.0.0.0"), 0)
          .transports(Transport.UDP)
          .udpIo(io)
          .addService(InteropService.definition());
      servers.put(io, (io == UdpIo.DEDICATED_THREAD ? b.directExecutor() : b).build().start());
    }
  }

  @AfterEach
  void stopClients() throws InterruptedException {
    c.stopProcesses();
  }

  @AfterAll
  static void stopOnyxServers() throws InterruptedException {
    servers.values().forEach(RpcServer::close);
    OnyxServers.stop(null, c);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void cClientsCallOverEveryAddressFamily(UdpIo io) throws Exception {
    int port = servers.get(io).port();
    for (String host : hosts()) {
      String netid = host.contains(":") ? "udp6" : "udp";
      String how = io + ", " + netid + " to " + host;
      assertEquals(NativeInterop.expected("expected-calls.txt"), c.runClient(netid, host, port, "calls"), how);
      // Connected, the client takes replies from the address it called alone: from the right source.
      assertEquals(NativeInterop.expected("expected-errors.txt"), c.runConnectedClient(netid, host, port, "errors"),
          how + ", connected");
    }
  }

  /** COUNT_RUNS(1000) resent after 20 ms, 40 ms…: the duplicates are dropped or answered from the cache. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void cRetransmissionsRunOnce(UdpIo io) throws Exception {
    RpcServer server = servers.get(io);
    long before = duplicates(server.stats());
    for (String host : List.of("127.0.0.1", "::1")) {
      assertEquals("COUNT_RUNS(1000) resent from 20 ms on -> runs: 1, then 1 for the next call\n",
          c.runClient(host.contains(":") ? "udp6" : "udp", host, server.port(), "retransmit-fast"), io + ", " + host);
    }
    assertTrue(duplicates(server.stats()) > before, server.stats()::toString);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void rpcinfoPingsIt(UdpIo io) throws Exception {
    int port = servers.get(io).port();
    String program = Integer.toString(InteropProgram.PROGRAM);
    String version = Integer.toString(InteropProgram.VERSION);
    for (String host : hosts()) {
      List<String> command = List.of("rpcinfo", "-a", host + "." + (port >> 8) + "." + (port & 0xff),
          "-T", host.contains(":") ? "udp6" : "udp", program, version);
      assertEquals("program " + program + " version " + version + " ready and waiting\n", run(command),
          io + ": " + String.join(" ", command));
    }
  }

  private static long duplicates(ServerStats stats) {
    return stats.duplicatesInProgressDropped() + stats.duplicatesReplayed();
  }

  /** 127.0.0.1 and ::1, and this machine's other IPv4 and global IPv6 addresses that are up. */
  private static List<String> hosts() throws SocketException {
    List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "::1"));
    for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InetAddress a : nif.inetAddresses().toList()) {
        if (a instanceof Inet4Address || a instanceof Inet6Address && !a.isLinkLocalAddress()) {
          hosts.add(a.getHostAddress().replaceAll("%.*", ""));
        }
      }
    }
    return hosts;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "rpcinfo", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(NativeCommands.COMMAND_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
