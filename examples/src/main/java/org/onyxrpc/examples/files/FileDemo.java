package org.onyxrpc.examples.files;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/**
 * Starts the file service over a temporary directory on a free loopback port, round-trips 8 MiB
 * through it, and shuts down.
 */
public final class FileDemo {
  private FileDemo() {}

  /** Runs the demo and prints what happens; {@code --transport X} chooses the transport ({@link Endpoint}). */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("FileDemo", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    run(Endpoint.ofDemo(args, "files"), System.out);
  }

  /** The demo, printing to {@code out}; {@code FileDemoTest} checks every line. */
  public static void run(PrintStream out) throws Exception {
    run(Endpoint.tcp("localhost", 0), out);
  }

  /** The demo over the transport {@code where} names (over UDP: TCP, blocks outgrow datagrams). */
  public static void run(Endpoint where, PrintStream out) throws Exception {
    where = FileServer.overStreams(where);
    Path root = Files.createTempDirectory("onyx-files");
    try (RpcServer server = FileServer.start(root, where)) {
      out.printf("server: FileService version %d (program 0x%08x) over %s, storing in a temporary directory%n",
          FileServiceV1.VERSION, FileServiceV1.PROGRAM, where.transport());
      FileClient.run(where.boundTo(server).client(), content(8 << 20), out);
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    out.println("server: shut down");
  }

  /** {@code size} bytes that are the same on every run. */
  static byte[] content(int size) {
    byte[] content = new byte[size];
    new Random(5531).nextBytes(content);
    return content;
  }
}
