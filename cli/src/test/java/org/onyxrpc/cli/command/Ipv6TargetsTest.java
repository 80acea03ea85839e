package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * {@code onyx} with a server bound to {@code ::1} alone, which registers itself with a directory
 * as tcp6 and udp6 at {@code ::1.p1.p2}: {@code list}, {@code ping} and {@code call} reach it at
 * {@code [::1]:PORT}, and at {@code ::1} or {@code [::1]} through the directory, over TCP and UDP.
 */
class Ipv6TargetsTest {
  private static final int CALC = 0x20000101;
  private DirectoryServer directory;
  private RpcServer server;
  private String rpcbindPort;

  @BeforeEach
  void start() throws Exception {
    InetAddress loopback6 = InetAddress.getByName("::1");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback6, 0))) {
      // ::1 can be bound
    } catch (SocketException e) {
      // Skipped on a machine without IPv6, failed under CI: a CI image without it must not pass silently.
      Unavailable.because("IPv6 tests need ::1 on loopback; binding it failed: " + e.getMessage());
    }
    directory = DirectoryServer.builder().port(0).directory(new LocalDirectory(new InMemoryDirectoryStore()))
        .build().start();
    rpcbindPort = Integer.toString(directory.port());
    Procedure<long[], Long> add = new Procedure<>(CALC, 1, 1, "Calc.add", XdrCodecs.of(
        (out, p) -> { out.writeHyper(p[0]); out.writeHyper(p[1]); },
        in -> new long[] {in.readHyper(), in.readHyper()}), XdrCodecs.HYPER);
    server = RpcServer.builder().bind(loopback6, 0).directory(directory.directory())
        .addService(ServiceDefinition.builder(CALC, 1).name("com.example.Calc")
            .procedure(add, (p, ctx) -> p[0] + p[1]).build())
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    directory.close();
  }

  @Test
  void listShowsTheTcp6AndUdp6Entries() {
    for (String[] args : new String[][] {{"list", "[::1]:" + rpcbindPort}, {"list", "::1", "--rpcbind-port", rpcbindPort}}) {
      CommandRun r = onyx(args);
      assertEquals(0, r.exit(), r.toString());
      for (String netid : new String[] {"tcp6", "udp6"}) {
        assertTrue(r.out().lines().anyMatch(l -> l.matches(
            "\\s*536871169\\s+1\\s+" + netid + "\\s+\\[::1\\]:" + server.port() + "\\s.*com\\.example\\.Calc")), r.out());
      }
    }
  }

  /**
   * A program pinged by number at a HOST with no port: the directory's tcp6 (udp6) entry is the
   * program over TCP (UDP). Before, the versions were looked for under netid tcp (udp) alone, and
   * the server bound to ::1 was "not registered over tcp in the directory at ::1", though {@code
   * onyx list} showed it and {@code onyx call} reached it.
   */
  @Test
  void aProgramNumberIsFoundByItsTcp6AndUdp6Entries() {
    for (String host : new String[] {"::1", "[::1]"}) {
      for (String transport : new String[] {"tcp", "udp"}) {
        CommandRun r = onyx("ping", host, "0x20000101", "--rpcbind-port", rpcbindPort, "--transport", transport);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (" + transport
            + " 0:0:0:0:0:0:0:1:" + server.port() + ", "), r.out());
      }
    }
  }

  @Test
  void aNameAndAPortReachTheServer() {
    for (String[] args : new String[][] {
        {"ping", "::1", "com.example.Calc", "--rpcbind-port", rpcbindPort},
        {"ping", "[::1]:" + rpcbindPort, "com.example.Calc"},
        {"ping", "[::1]:" + server.port(), "0x20000101"}}) {
      CommandRun r = onyx(args);
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.out().startsWith("program 0x20000101 version 1 ready and waiting (tcp 0:0:0:0:0:0:0:1:"
          + server.port() + ", "), r.out());
    }
  }

  @Test
  void callReachesItThroughTheDirectoryAndAtItsPort(@TempDir Path dir) throws Exception {
    Path idl = calcIdl(dir);
    for (String[] target : new String[][] {
        {"[::1]", "--rpcbind-port", rpcbindPort}, {"::1", "--rpcbind-port", rpcbindPort},
        {"[::1]", "--rpcbind-port", rpcbindPort, "--transport", "udp"}, {"[::1]:" + server.port()}}) {
      String[] args = new String[target.length + 6];
      args[0] = "call";
      args[1] = target[0];
      System.arraycopy(new String[] {"Calc.add", "--idl", idl.toString(), "-d", "{\"a\": 40, \"b\": 2}"}, 0, args, 2, 5);
      System.arraycopy(target, 1, args, 7, target.length - 1);
      CommandRun r = onyx(args);
      assertEquals(0, r.exit(), r.toString());
      assertEquals("42\n", r.out(), String.join(" ", args));
    }
  }

  /**
   * HOST 127.0.0.1, whose directory has the server at ::1 alone (tcp6, udp6): called where the
   * directory says it listens. Before, at 127.0.0.1 with the server's port: "nothing listens at
   * tcp 127.0.0.1:PORT", connection refused, for call and ping alike.
   */
  @Test
  void anIpv4HostWhoseDirectoryHasTheServerOverIpv6AloneCallsItThere(@TempDir Path dir) throws Exception {
    Path idl = calcIdl(dir);
    for (String transport : new String[] {"tcp", "udp"}) {
      CommandRun call = onyx("call", "127.0.0.1", "Calc.add", "--idl", idl.toString(), "--rpcbind-port", rpcbindPort,
          "--transport", transport, "-d", "{\"a\": 40, \"b\": 2}");
      assertEquals(0, call.exit(), call.toString());
      assertEquals("42\n", call.out(), transport);
      for (String asked : new String[] {"0x20000101", "com.example.Calc"}) {
        CommandRun ping = onyx("ping", "127.0.0.1", asked, "--rpcbind-port", rpcbindPort, "--transport", transport);
        assertEquals(0, ping.exit(), ping.toString());
        assertTrue(ping.out().startsWith("program 0x20000101 version 1 ready and waiting (" + transport
            + " 0:0:0:0:0:0:0:1:" + server.port() + ", "), ping.out());
      }
    }
  }

  /** The IDL of the server's program (CALC), written into {@code dir}. */
  private static Path calcIdl(Path dir) throws IOException {
    return Files.writeString(dir.resolve("calc.idl"), """
        package com.example;
        @program(0x20000101)
        service Calc {
          version 1 { hyper add(hyper a, hyper b) = 1; }
        }
        """);
  }
}
