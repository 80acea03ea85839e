package org.onyxrpc.directory.rpcbind;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.internal.directory.OptionValues;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * The standalone directory: {@code java -cp ... org.onyxrpc.directory.rpcbind.DirectoryMain [--port N]
 * [--bind ADDRESS] [--allow-remote-registration] [--local-socket /run/rpcbind.sock]}. Listens on port 111 of every address unless
 * told otherwise, prints {@code onyx directory on port N} once it does, and runs until stopped
 * (SIGTERM or Ctrl-C). Exit status 2 for bad arguments, 1 if it cannot listen.
 */
public final class DirectoryMain {
  private DirectoryMain() {}

  /**
   * Runs the directory until the process is stopped.
   *
   * @param args the options above; a mistake prints the usage and exits with 2
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    DirectoryServer.Builder builder;
    try {
      builder = parse(args);
    } catch (IllegalArgumentException e) {
      usage(System.err, e.getMessage());
      System.exit(2);
      return;
    }
    DirectoryServer server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      System.err.println("onyx directory: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "onyx-directory-shutdown"));
    System.out.println("onyx directory on port " + server.port());
    System.out.flush();
    stopped.await();
  }

  /** The builder the arguments describe. */
  static DirectoryServer.Builder parse(String[] args) {
    DirectoryServer.Builder builder = DirectoryServer.builder();
    int port = Portmap.PORT;
    InetAddress bind = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = OptionValues.port(OptionValues.value(args, ++i));
        case "--bind" -> bind = OptionValues.bindAddress(OptionValues.value(args, ++i));
        case "--allow-remote-registration" -> builder.allowRemoteRegistration(true);
        case "--local-socket" -> builder.localSocket(java.nio.file.Path.of(OptionValues.value(args, ++i)));
        case "--help", "-h" -> throw new IllegalArgumentException("");
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    return bind == null ? builder.port(port) : builder.bind(bind, port);
  }

  private static void usage(PrintStream out, String problem) {
    if (!problem.isEmpty()) {
      out.println("onyx directory: " + problem);
    }
    out.println("usage: DirectoryMain [--port N] [--bind ADDRESS] [--allow-remote-registration]"
        + " [--local-socket PATH]");
  }
}
