package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code QueueServerProcess DATA_DIR}: {@link StandaloneQueueServer} on a free loopback port, for
 * tests that need the server in a JVM of its own (to kill it with SIGKILL).
 */
public final class QueueServerProcess {
  private QueueServerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(StandaloneQueueServer.serve(0, InetAddress.getLoopbackAddress(), Path.of(args[0]), null,
        new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Starts it in a new JVM on this test's class path, {@code jvmOptions} before the class name,
   * its standard error sent to {@code errors}; {@link #port} reads where it listens.
   */
  static Process start(Path data, ProcessBuilder.Redirect errors, String... jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        QueueServerProcess.class.getName(), data.toString()));
    return new ProcessBuilder(command).redirectError(errors).start();
  }

  /** The port a started server listens on, from the first line it prints. */
  static int port(Process server) throws IOException {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertTrue(line != null && line.startsWith("onyx mq on port "), "server said: " + line);
    return Integer.parseInt(line.substring("onyx mq on port ".length()).trim());
  }
}
