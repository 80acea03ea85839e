package org.onyxrpc.examples.calculator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.DirectoryStore;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;

/**
 * The systemd unit that the README's "Running a server as a service" shows
 * ({@code examples/src/main/systemd/onyx-calculator.service}) holds for the server it names: the
 * class of its {@code ExecStart}, started as systemd starts it (its own process, standard input
 * closed) and registered with a directory, is stopped by SIGTERM as {@code systemctl stop} stops
 * it: it withdraws its entries, logs that it stopped and exits with a status the unit counts as
 * success, and the unit waits longer than the server's {@code shutdownTimeout} before SIGKILL.
 * Before, the README said to stop a server with SIGTERM but not that its JVM then exits 143,
 * which systemd takes for a failure unless told ({@code SuccessExitStatus=143}).
 */
class ServerAsAServiceTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path UNIT = ROOT.resolve("examples/src/main/systemd/onyx-calculator.service");
  private static final String NAME = "org.onyxrpc.examples.calculator.Calculator";

  @Test
  void sigtermWithdrawsTheServerAndExitsWithAStatusTheUnitCallsSuccess() throws Exception {
    String unit = Files.readString(UNIT);
    List<String> execStart = Arrays.asList(setting(unit, "ExecStart").split(" "));
    String mainClass = execStart.get(execStart.indexOf("-cp") + 2);
    Set<Integer> success = Arrays.stream(setting(unit, "SuccessExitStatus").split(" "))
        .map(Integer::valueOf).collect(Collectors.toSet());

    SignallingStore store = new SignallingStore();
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
        .directory(new LocalDirectory(store)).build().start()) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          mainClass, "0", "localhost:" + directory.port()));
      Process server = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Calculator listening")) {
          lines.add(line);
        }
        assertTrue(line != null, "the server did not start: " + lines);
        // Registered by start() unless the directory took over 2 s (README, Directory): then
        // in the background, which a loaded machine may take.
        store.registered.get(60, TimeUnit.SECONDS);
        assertFalse(directory.directory().lookup(NAME).isEmpty(), "not registered: " + lines + line);

        // SIGTERM, as systemctl stop sends (Process.destroy() would also close our end of its output)
        assertTrue(server.toHandle().destroy(), "no SIGTERM sent");
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } finally {
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      assertTrue(success.contains(server.exitValue()) || server.exitValue() == 0,
          "exit status " + server.exitValue() + ", the unit's SuccessExitStatus " + success);
      assertTrue(directory.directory().lookup(NAME).isEmpty(), "still registered after SIGTERM");
    }
  }

  @Test
  void theUnitWaitsLongerThanTheServersShutdownTimeoutBeforeSigkill() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher row = Pattern.compile("\\| `shutdownTimeout` \\| (\\d+) s \\|").matcher(readme);
    assertTrue(row.find(), "README.md's limits table has no shutdownTimeout row");
    Duration shutdownTimeout = Duration.ofSeconds(Long.parseLong(row.group(1)));
    Duration stop = Duration.ofSeconds(Long.parseLong(setting(Files.readString(UNIT), "TimeoutStopSec")));
    assertTrue(stop.compareTo(shutdownTimeout) > 0,
        "TimeoutStopSec " + stop + " leaves the calls in flight no shutdownTimeout " + shutdownTimeout);
    assertTrue(readme.contains("<!-- from examples/src/main/systemd/onyx-calculator.service -->"),
        "README.md does not show the unit");
  }

  /** An in-memory store that tells when the calculator's name is first registered. */
  private static final class SignallingStore implements DirectoryStore {
    final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final InMemoryDirectoryStore store = new InMemoryDirectoryStore();

    @Override
    public boolean put(Registration registration) {
      boolean put = store.put(registration);
      if (put && NAME.equals(registration.instance().name())) {
        registered.complete(null);
      }
      return put;
    }

    @Override
    public boolean remove(ServiceInstance.Key key) {
      return store.remove(key);
    }

    @Override
    public List<Registration> list(long nowMillis) {
      return store.list(nowMillis);
    }

    @Override
    public int removeExpired(long nowMillis) {
      return store.removeExpired(nowMillis);
    }
  }

  private static String setting(String unit, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
    assertTrue(m.find(), UNIT + " has no " + key);
    String value = m.group(1).strip();
    assertEquals(value, value.replace("  ", " "));
    return value;
  }
}
