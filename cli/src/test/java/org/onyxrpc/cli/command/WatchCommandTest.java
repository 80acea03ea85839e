package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import picocli.CommandLine;

/**
 * {@code onyx watch}: the entries there first, then each registered and each gone, read line by
 * line as the command prints them (each step waits for its line, not for a time).
 */
class WatchCommandTest {
  private static final ServiceInstance CALC = instance("calc", 0x20000101, 4711);
  private static final ServiceInstance NOTES = instance("notes", 0x20000102, 4712);

  private static ServiceInstance instance(String name, int program, int port) {
    return new ServiceInstance(name, program, 1, "tcp",
        UniversalAddress.format(new java.net.InetSocketAddress("127.0.0.1", port)), "unknown");
  }

  @Test
  void printsTheEntriesThenEachOneRegisteredAndEachOneGone() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start();
        Watch watch = new Watch(directory.port(), "--interval", "20ms")) {
      directory.directory().register(CALC, Duration.ofMinutes(1));
      // Whichever look sees it first prints it as registered.
      assertTrue(watch.line().matches("\\d\\d:\\d\\d:\\d\\d \\+ 536871169 1 tcp 127\\.0\\.0\\.1:4711 \\S+ calc"),
          watch.last);
      directory.directory().register(NOTES, Duration.ofMinutes(1));
      assertTrue(watch.line().matches(".* \\+ 536871170 1 tcp 127\\.0\\.0\\.1:4712 \\S+ notes"), watch.last);
      directory.directory().unregister(CALC);
      assertTrue(watch.line().matches(".* - 536871169 1 tcp 127\\.0\\.0\\.1:4711 \\S+ calc"), watch.last);
      directory.close();
      assertTrue(watch.line().matches("\\d\\d:\\d\\d:\\d\\d ! .+"), watch.last);
      assertEquals(ExitCodes.OK, watch.stop());
    }
  }

  @Test
  void jsonIsOneObjectPerLineAndChange() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start();
        Watch watch = new Watch(directory.port(), "--interval", "20ms", "--json")) {
      directory.directory().register(CALC, Duration.ofMinutes(1));
      JsonNode registered = mapper.readTree(watch.line());
      assertEquals("registered", registered.get("event").textValue());
      assertEquals("calc", registered.get("name").textValue());
      assertEquals(4711, registered.get("port").intValue());
      // A date and a zone, not the text lines' local HH:mm:ss: Instant.parse throws on anything else.
      String time = registered.get("time").textValue();
      assertEquals(time, Instant.parse(time).toString(), time);
      directory.directory().unregister(CALC);
      JsonNode gone = mapper.readTree(watch.line());
      assertEquals("gone", gone.get("event").textValue());
      assertEquals(0x20000101, gone.get("program").intValue());
      assertEquals(ExitCodes.OK, watch.stop());
    }
  }

  @Test
  void aDirectoryThatCannotBeAskedAtFirstIsAnRpcError() throws Exception {
    int port;
    try (DirectoryServer gone = DirectoryServer.builder().port(0).build().start()) {
      port = gone.port();
    }
    StringWriter out = new StringWriter();
    CommandLine cl = Onyx.commandLine();
    cl.setOut(new PrintWriter(out));
    assertEquals(ExitCodes.RPC_ERROR, cl.execute("watch", "127.0.0.1:" + port, "--timeout", "2s"));
    assertTrue(out.toString().contains("\"error\" : \"UNAVAILABLE\""), out.toString());
  }

  @Test
  void countStopsIt() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0).build().start()) {
      directory.directory().register(CALC, Duration.ofMinutes(1));
      StringWriter out = new StringWriter();
      CommandLine cl = Onyx.commandLine();
      cl.setOut(new PrintWriter(out));
      assertEquals(ExitCodes.OK, cl.execute("watch", "127.0.0.1:" + directory.port(), "--count", "2",
          "--interval", "10ms"));
      // The directory's own entries and calc, once: the second look
      // found no change.
      assertEquals(1, out.toString().lines().filter(l -> l.endsWith(" calc")).count(), out.toString());
      assertTrue(out.toString().lines().allMatch(l -> l.contains(" + ")), out.toString());
    }
  }

  /**
   * The first look prints every entry there as registered, which a script that acts on
   * registrations must know: before, the help said "prints those there, then each one registered
   * (+)", as if those there were printed otherwise (found watching a ZooKeeper directory).
   */
  @Test
  void theHelpSaysTheFirstLookPrintsTheEntriesThereAsRegistered() {
    String help = CommandRun.onyx("watch", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("prints those there, each as registered (+, \"registered\" in --json: the first"
        + " look cannot tell an old entry from a new one)"), help);
  }

  @Test
  void badIntervalsAndCountsAreUsageErrors() {
    StringWriter err = new StringWriter();
    CommandLine cl = Onyx.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(ExitCodes.USAGE, cl.execute("watch", "localhost", "--interval", "0s"));
    assertTrue(err.toString().contains("the duration must be positive, got 0s"), err.toString());
    assertEquals(ExitCodes.USAGE, cl.execute("watch", "localhost", "--count", "-1"));
    assertTrue(err.toString().contains("--count must be 0 (never stop) or more, got -1"), err.toString());
  }

  /** The command running on a thread of its own, its output read line by line. */
  private static final class Watch implements AutoCloseable {
    private final int directoryPort;
    private final BufferedReader lines;
    private final Thread thread;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    String last;

    /** Watches the directory at {@code port} of this host. */
    Watch(int port, String... args) throws IOException {
      directoryPort = port;
      PipedWriter pipe = new PipedWriter();
      lines = new BufferedReader(new PipedReader(pipe, 1 << 16));
      CommandLine cl = Onyx.commandLine();
      cl.setOut(new PrintWriter(pipe, true));
      String[] all = new String[args.length + 2];
      all[0] = "watch";
      all[1] = "127.0.0.1:" + port;
      System.arraycopy(args, 0, all, 2, args.length);
      thread = new Thread(() -> exit.complete(cl.execute(all)), "onyx-watch");
      thread.start();
    }

    /** The next line about anything but the directory's own programs (rpcbind's, its names'). */
    String line() throws IOException {
      do {
        last = lines.readLine();
      } while (last != null && (last.matches("\\S+ [+-] .*:" + directoryPort + " .*")
          || last.contains("\"port\":" + directoryPort + ",")));
      return last;
    }

    int stop() throws Exception {
      thread.interrupt();
      return exit.get();
    }

    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        // Not thrown: a try-with-resources whose body failed would suppress it, and the
        // interrupt with it. The flag keeps it.
        Thread.currentThread().interrupt();
      }
    }
  }
}
