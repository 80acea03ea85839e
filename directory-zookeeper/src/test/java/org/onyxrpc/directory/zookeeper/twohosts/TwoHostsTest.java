package org.onyxrpc.directory.zookeeper.twohosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.Unavailable;

/**
 * Two hosts that really are two: network namespaces {@code A} and {@code B} joined by a veth
 * pair, 10.213.77.1 and .2/24 (addresses that exist only inside them). ZooKeeper runs in A; each
 * namespace runs a directory over that ZooKeeper on port 111 bound to every address (as {@code
 * onyx directory --zookeeper} does) and a
 * server registered by name with it, A's bound to every address, B's to its veth address. A
 * client in each finds the other's server by name through its own directory and calls it;
 * {@code rpcinfo -p} in each lists only its own host's programs.
 *
 * <p>Needs root and {@code ip} (iproute2); skipped with a notice otherwise, except under CI
 * (CI=true), where it fails instead.
 */
class TwoHostsTest {
  private static final String SUFFIX = Long.toString(ProcessHandle.current().pid() % 100_000);
  private static final String NS_A = "onyx-a-" + SUFFIX;
  private static final String NS_B = "onyx-b-" + SUFFIX;
  private static final String VETH_A = "onyxa" + SUFFIX;
  private static final String VETH_B = "onyxb" + SUFFIX;
  private static final String IP_A = "10.213.77.1";
  private static final String IP_B = "10.213.77.2";
  private static final int PROGRAM_A = 0x20000a01;
  private static final int PROGRAM_B = 0x20000b01;
  private static final List<Process> PROCESSES = new ArrayList<>();
  private static boolean created;

  @BeforeAll
  static void createHosts() throws Exception {
    boolean ci = Unavailable.underCi();
    boolean root = root();
    boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
        || Files.isExecutable(Path.of("/usr/bin/ip"));
    if (!ci && (!root || !ip)) {
      System.err.println("NOTICE TwoHostsTest skipped: needs root and iproute2's ip (root=" + root + ", ip=" + ip + ")");
    }
    Assumptions.assumeTrue(ci || root && ip, "two network namespaces need root and iproute2");
    assertTrue(root && ip, "under CI this test runs: it needs root and iproute2's ip");
    created = true;
    run("ip", "netns", "add", NS_A);
    run("ip", "netns", "add", NS_B);
    run("ip", "link", "add", VETH_A, "type", "veth", "peer", "name", VETH_B);
    run("ip", "link", "set", VETH_A, "netns", NS_A);
    run("ip", "link", "set", VETH_B, "netns", NS_B);
    run("ip", "-n", NS_A, "addr", "add", IP_A + "/24", "dev", VETH_A);
    run("ip", "-n", NS_B, "addr", "add", IP_B + "/24", "dev", VETH_B);
    for (String[] nsDev : new String[][] {{NS_A, VETH_A}, {NS_B, VETH_B}}) {
      run("ip", "-n", nsDev[0], "link", "set", "lo", "up");
      run("ip", "-n", nsDev[0], "link", "set", nsDev[1], "up");
    }
  }

  @AfterAll
  static void removeHosts() throws Exception {
    for (Process p : PROCESSES) {
      p.destroy();
    }
    for (Process p : PROCESSES) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (created) {
      quietly("ip", "netns", "del", NS_A); // takes the veth pair with it
      quietly("ip", "netns", "del", NS_B);
    }
  }

  @Test
  void aClientOnEachHostFindsAndCallsTheServerOnTheOtherByName() throws Exception {
    Forked zookeeper = fork(NS_A, HostProcesses.class.getName(), "zookeeper");
    zookeeper.await("zookeeper ready");
    String connect = IP_A + ":" + HostProcesses.ZOOKEEPER_PORT;
    Forked directoryA = fork(NS_A, HostProcesses.class.getName(), "directory", connect);
    Forked directoryB = fork(NS_B, HostProcesses.class.getName(), "directory", connect);
    directoryA.await("onyx directory on port 111");
    directoryB.await("onyx directory on port 111");
    Forked serverA = fork(NS_A, HostProcesses.class.getName(), "server", "test.A", "" + PROGRAM_A, "1", "0.0.0.0");
    Forked serverB = fork(NS_B, HostProcesses.class.getName(), "server", "test.B", "" + PROGRAM_B, "2", IP_B);
    serverA.await("server ready");
    serverB.await("server ready");

    // A's wildcard-bound server, found from B: its advertised veth address, never B's loopback.
    List<String> fromB = awaitCalls(NS_B, "test.A", PROGRAM_A);
    assertEquals(List.of("called " + IP_A + " answer 1"), fromB);
    // B's server bound to its veth address, found from A.
    List<String> fromA = awaitCalls(NS_A, "test.B", PROGRAM_B);
    assertEquals(List.of("called " + IP_B + " answer 2"), fromA);

    // rpcinfo -p on each host lists its own programs only; both directories are on port 111.
    String rpcinfoA = output("ip", "netns", "exec", NS_A, "rpcinfo", "-p", "127.0.0.1");
    String rpcinfoB = output("ip", "netns", "exec", NS_B, "rpcinfo", "-p", "127.0.0.1");
    assertTrue(rpcinfoA.contains(Integer.toString(PROGRAM_A)), rpcinfoA);
    assertFalse(rpcinfoA.contains(Integer.toString(PROGRAM_B)), rpcinfoA);
    assertTrue(rpcinfoB.contains(Integer.toString(PROGRAM_B)), rpcinfoB);
    assertFalse(rpcinfoB.contains(Integer.toString(PROGRAM_A)), rpcinfoB);
    // Its own portmapper once (versions 2 to 4 over tcp and udp), not B's as well.
    assertEquals(6, rpcinfoA.lines().filter(l -> l.contains(" 111 ")).count(), "A's portmapper once: " + rpcinfoA);
    System.out.println("rpcinfo -p in A:\n" + rpcinfoA);
  }

  /** Runs a client until it has found and called the server (the directories share within ~1 s). */
  private static List<String> awaitCalls(String ns, String name, int program) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Forked client = fork(ns, HostProcesses.class.getName(), "client", name, "" + program);
      List<String> lines = client.untilDone();
      List<String> calls = lines.stream().filter(l -> l.startsWith("called ")).toList();
      if (!calls.isEmpty() || System.nanoTime() > deadline) {
        System.out.println("client in " + ns + ": " + lines);
        return calls;
      }
    }
  }

  private static Forked fork(String ns, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), main));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    PROCESSES.add(process);
    return new Forked(ns + " " + main, process);
  }

  /** A forked JVM whose output lines are read as they come. */
  private static final class Forked {
    private final String what;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Forked(String what, Process process) {
      this.what = what;
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("read failed: " + e);
        } finally {
          lines.add("<exit>");
        }
      }, "forked-output");
      reader.setDaemon(true);
      reader.start();
    }

    void await(String prefix) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || line.equals("<exit>")) {
          throw new AssertionError(what + " did not print '" + prefix + "': " + seen);
        }
        seen.add(line);
        if (line.startsWith(prefix)) {
          return;
        }
      }
    }

    List<String> untilDone() throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || line.equals("<exit>")) {
          return seen;
        }
        seen.add(line);
      }
    }
  }

  /** The process's uid is the owner of /proc/self (Linux); user.name may be unknown in a container. */
  private static boolean root() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
  }

  private static String output(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  private static void quietly(String... command) {
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      System.err.println(String.join(" ", command) + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
