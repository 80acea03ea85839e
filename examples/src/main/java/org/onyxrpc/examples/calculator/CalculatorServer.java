package org.onyxrpc.examples.calculator;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.examples.Endpoint;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.server.RpcServer;

/**
 * The server side of the calculator: an implementation of the interface that the Onyx Maven
 * plugin generates from {@code src/main/idl/calculator.idl}, and a {@code main} that serves it.
 */
public final class CalculatorServer implements CalculatorV1.Calculator {
  @Override
  public long add(long a, long b) {
    return a + b;
  }

  @Override
  public long divide(long a, long b) throws DivideByZero {
    if (b == 0) {
      throw new DivideByZero("cannot divide " + a + " by zero");
    }
    return a / b;
  }

  @Override
  public Parity parity(long value) {
    return value % 2 == 0 ? Parity.EVEN : Parity.ODD;
  }

  /** Serves the calculator on {@code port} of the loopback address (0: a free port), TCP and UDP. */
  public static RpcServer start(int port) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build()
        .start();
  }

  /** Serves the calculator where {@code where} says: TCP and UDP, a Unix-domain socket, in-process. */
  public static RpcServer start(Endpoint where) throws IOException {
    return where.listen(RpcServer.builder())
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build()
        .start();
  }

  /**
   * Serves on port 4711 (or the first argument) until the process is stopped. Given a second
   * argument, {@code HOST:PORT} of a directory ({@code onyx directory --port PORT}), it registers
   * there instead of in this process's own directory, so that other processes find it by name.
   * {@code --transport unix [--at PATH]} serves on a Unix-domain socket instead (see {@link
   * Endpoint}).
   */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("CalculatorServer", () -> serve(args));
  }

  static void serve(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    Endpoint where = Endpoint.fromArgs(rest, "calculator", 4711).servedAlone("CalculatorDemo");
    Endpoint.atMost(rest, 2, "[PORT] [DIRECTORY_HOST:PORT]");
    if (!rest.isEmpty()) {
      where = where.atPort(Endpoint.port(rest.get(0)));
    }
    RemoteDirectory directory = rest.size() > 1 ? remoteDirectory(rest.get(1)) : null;
    RpcServer server = directory == null ? start(where) : start(where.port(), directory);
    // On SIGTERM (Ctrl-C, kill, systemctl stop): withdraw from the directory, finish the calls in
    // flight, close. (RpcServerBuilder.withdrawOnExit() does only the withdrawing.)
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (directory != null) {
        directory.close();
      }
    }));
    System.out.println("Calculator listening: " + where.listening(server)
        + (directory != null ? ", registering with the directory at " + rest.get(1) : "") + "; Ctrl-C stops it");
    server.awaitTermination(); // Onyx's threads are daemons: returning now would end the JVM
  }

  private static RpcServer start(int port, RemoteDirectory directory) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), port)
        .directory(directory)
        .addService(CalculatorV1.bind(new CalculatorServer()))
        .build()
        .start();
  }

  private static RemoteDirectory remoteDirectory(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon < 0) {
      return RemoteDirectory.at(hostAndPort);
    }
    return RemoteDirectory.at(hostAndPort.substring(0, colon), Endpoint.port(hostAndPort.substring(colon + 1)));
  }
}
