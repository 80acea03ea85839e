package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueueException;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.MqError;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.rpc.AuthSys;

/** {@code onyx mq}: the standalone queue server of onyx-mq. */
class MqCommandTest {
  @TempDir Path work;

  @Test
  void mistakesAreOneLineAndAnExitStatus() throws Exception {
    CommandRun badPort = onyx("mq", "--port", "abc");
    assertEquals(2, badPort.exit());
    assertTrue(badPort.err().startsWith("onyx mq: Invalid value for option '--port'"), badPort.err());

    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    CommandRun badData = onyx("mq", "--bind", "127.0.0.1", "--data-dir", file.toString());
    assertEquals(1, badData.exit());
    assertEquals("onyx mq: cannot recover the durable queues in " + file + ": it exists and is not a directory\n",
        badData.err());

    CommandRun noQueues = onyx("mq", "--max-queues", "0");
    assertEquals(2, noQueues.exit());
    assertEquals("onyx mq: --max-queues must be 1 or more, got 0\nTry 'onyx mq --help' for more information.\n",
        noQueues.err());
    CommandRun tooLong = onyx("mq", "--max-message-size", "2M");
    assertEquals(2, tooLong.exit());
    assertTrue(tooLong.err().startsWith("onyx mq: --max-message-size must be 1 to 1048576 (1M, the protocol's limit),"
        + " got 2097152\n"), tooLong.err());
    CommandRun noLease = onyx("mq", "--handle-lease", "0s");
    assertEquals(2, noLease.exit());
    assertTrue(noLease.err().startsWith("onyx mq: Invalid value for option '--handle-lease'"), noLease.err());
    CommandRun notBytes = onyx("mq", "--max-total-bytes", "1X");
    assertEquals(2, notBytes.exit());
    assertTrue(notBytes.err().startsWith("onyx mq: Invalid value for option '--max-total-bytes'"), notBytes.err());
    assertTrue(notBytes.err().contains("expected bytes such as 8192, 64K, 16M or 1G, got 1X"), notBytes.err());
    CommandRun overflow = onyx("mq", "--max-waiting-send-bytes", "99999999999G");
    assertEquals(2, overflow.exit());
    assertTrue(overflow.err().contains("too many bytes: 99999999999G"), overflow.err());
  }

  @Test
  void aPortTakenIsOneLineNamingTheAddressOnce() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(taken.getLocalPort());
      CommandRun mq = onyx("mq", "--bind", "127.0.0.1", "--port", port);
      assertEquals(1, mq.exit());
      assertTrue(mq.err().startsWith("onyx mq: cannot listen on TCP 127.0.0.1:" + port + ": "), mq.err());
      assertEquals(1, mq.err().lines().count(), mq.err());
      CommandRun directory = onyx("directory", "--bind", "127.0.0.1", "--port", port);
      assertEquals(1, directory.exit());
      assertTrue(directory.err().startsWith("onyx directory: cannot listen on TCP 127.0.0.1:" + port + ": "),
          directory.err());
      assertEquals(1, directory.err().lines().count(), directory.err());
    }
  }

  /** Serves with the limits given (four checked by what the server refuses, the handle lease by what it grants). */
  @Test
  void servesQueuesUntilStopped() throws Exception {
    Process server = startMq("--max-queues", "2", "--max-queues-per-client", "1", "--max-messages", "4",
        "--max-message-size", "1K", "--max-total-bytes", "1G", "--max-total-bytes-per-client", "4K",
        "--max-handles", "100", "--max-handles-per-client", "3", "--max-waiters-per-queue", "2",
        "--max-waiting-send-bytes", "64K", "--max-waiting-send-bytes-per-client", "16K",
        "--handle-lease", "90s", "--reservation-lease", "5s");
    try {
      int port = portOf(server);
      try (RpcClient rpc = RpcClient.builder().address("127.0.0.1", port)
          .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
          MessageQueue q = MessageQueues.open(rpc, "/jobs", OpenOptions.create(0600, QueueAttributes.of(4, 16)))) {
        q.send(new byte[] {1, 2}, 5);
        assertArrayEquals(new byte[] {1, 2}, q.receive(Duration.ofSeconds(20)).message());
        assertEquals(MqError.EINVAL, refused(rpc, "/many", QueueAttributes.of(5, 16)), "--max-messages 4");
        assertEquals(MqError.EINVAL, refused(rpc, "/long", QueueAttributes.of(1, 1025)), "--max-message-size 1K");
        assertEquals(MqError.EMFILE, refused(rpc, "/second", QueueAttributes.of(1, 16)), "--max-queues-per-client 1");
        try (MessageQueue a = MessageQueues.open(rpc, "/jobs", OpenOptions.existing());
            MessageQueue b = MessageQueues.open(rpc, "/jobs", OpenOptions.existing())) {
          assertEquals(MqError.EMFILE, refused(rpc, "/jobs", null), "--max-handles-per-client 3");
        }
        // The lease a handle is granted, which only the protocol's open tells.
        Opened opened = rpc.call(MessageQueueServiceV1.OPEN,
            new OpenRequest("/jobs", Access.READ_ONLY, false, false, 0, 0, 0, false)).value();
        assertEquals(90_000, opened.leaseMillis(), "--handle-lease 90s");
        rpc.call(MessageQueueServiceV1.CLOSE, opened.handle());
      }
      server.destroy(); // SIGTERM: the shutdown hook closes the queues and the server
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      assertEquals(143, server.exitValue(), "the status of a JVM stopped by SIGTERM");
      assertTrue(onyx("mq", "--help").out().contains("143   stopped by SIGTERM"), "as onyx mq --help says");
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void registersWithTheDirectoryGivenUntilStopped() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start()) {
      String at = "127.0.0.1:" + directory.port();
      Process server = startMq("--directory", at);
      try {
        BufferedReader out = reader(server);
        int port = portOf(out);
        // Said on standard output, as the port is: before, only a WARN line on standard error
        // told an operator when the directory had not taken the registration. The server waits
        // 2 s for it; a new JVM on a loaded machine may take longer (seen at a load average of
        // 18), and then says so truthfully, and registers in the background (listedOnce below).
        String said = nextLine(out);
        assertTrue(said.equals("onyx mq: registered with directory at " + at)
            || said.equals("onyx mq: registering with directory at " + at + ": not registered yet, goes on in the"
                + " background (standard error says why)"), said);
        CommandRun listed = listedOnce(at, "\"name\" : \"" + QueueServer.SERVICE_NAME + "\"", "\"port\" : " + port);
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains("\"name\" : \"" + QueueServer.SERVICE_NAME + "\"")
            && listed.out().contains("\"port\" : " + port), listed.out());
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        CommandRun after = onyx("list", at, "--json");
        assertFalse(after.out().contains(QueueServer.SERVICE_NAME), "withdrawn when stopped: " + after.out());
      } finally {
        server.destroyForcibly();
      }
    }
    int nothingThere;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nothingThere = closed.getLocalPort();
    }
    Process unregistered = startMq("--directory", "127.0.0.1:" + nothingThere);
    try {
      BufferedReader out = reader(unregistered);
      portOf(out);
      assertEquals("onyx mq: registering with directory at 127.0.0.1:" + nothingThere
          + ": not registered yet, goes on in the background (standard error says why)", nextLine(out));
    } finally {
      unregistered.destroyForcibly();
    }
    CommandRun unix = onyx("mq", "--directory", "unix:/run/rpcbind.sock");
    assertEquals(2, unix.exit());
    assertEquals("onyx mq: --directory takes HOST[:PORT], not unix:/run/rpcbind.sock\n"
        + "Try 'onyx mq --help' for more information.\n", unix.err());
  }

  /** The error of opening {@code name} (created with {@code attributes} unless null), which must fail. */
  private static MqError refused(RpcClient rpc, String name, QueueAttributes attributes) {
    OpenOptions options = attributes == null ? OpenOptions.existing() : OpenOptions.create(0600, attributes);
    MessageQueueException e = assertThrows(MessageQueueException.class, () -> MessageQueues.open(rpc, name, options).close());
    return e.error();
  }

  /**
   * {@code onyx list AT --json} once it shows every one of {@code wanted}, or after a minute. A
   * server waits up to two seconds for its directory before it says it listens, and registers
   * in the background after: on a loaded machine the first listing may come before.
   */
  private static CommandRun listedOnce(String at, String... wanted) {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      CommandRun listed = onyx("list", at, "--json");
      if (listed.exit() != 0 || Arrays.stream(wanted).allMatch(listed.out()::contains)
          || System.nanoTime() - giveUp > 0) {
        return listed;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** {@code onyx mq --bind 127.0.0.1 ARGS} in a process of its own. */
  private static Process startMq(String... args) throws java.io.IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        Onyx.class.getName(), "mq", "--port", "0", "--bind", "127.0.0.1"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The port of the first line {@code onyx mq} prints once it listens. */
  private static int portOf(Process server) throws Exception {
    return portOf(reader(server));
  }

  private static BufferedReader reader(Process server) {
    return new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The port of the first line {@code onyx mq} prints once it listens, read from {@code out}. */
  private static int portOf(BufferedReader out) throws Exception {
    String line = nextLine(out);
    assertTrue(line != null && line.matches("onyx mq on port \\d+"), String.valueOf(line));
    return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The next line of {@code out}, waited for at most a minute (null at its end). */
  private static String nextLine(BufferedReader out) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
  }
}
