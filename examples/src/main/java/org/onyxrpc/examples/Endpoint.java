package org.onyxrpc.examples;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Where an example's server listens and its client calls, as chosen on the command line:
 * {@code --transport tcp|udp|unix|in-process} and {@code --at WHERE} (a port for tcp and udp, a
 * socket path or {@code @abstract-name} for unix, a name for in-process).
 *
 * <pre>{@code
 * ... CalculatorServer --transport unix --at /tmp/calc.sock
 * ... CalculatorClient --transport unix --at /tmp/calc.sock
 * ... CalculatorDemo --transport in-process        # server and client in one JVM, no socket
 * }</pre>
 *
 * @param transport how calls travel
 * @param host the server's host, for TCP and UDP
 * @param port the server's port, for TCP and UDP (0 for a server: any free port)
 * @param socket the server's Unix-domain socket, for UNIX
 * @param name the in-process server's name, for IN_PROCESS
 */
public record Endpoint(Transport transport, String host, int port, UnixSocketAddress socket, String name) {
  /** TCP to {@code host:port}. */
  public static Endpoint tcp(String host, int port) {
    return new Endpoint(Transport.TCP, host, port, null, null);
  }

  /** The in-process server named {@code name}: no socket, for tests and demos in one JVM. */
  public static Endpoint inProcess(String name) {
    return new Endpoint(Transport.IN_PROCESS, null, 0, null, name);
  }

  /**
   * Takes {@code --transport} and {@code --at} out of {@code args} (a mutable list; what is left
   * are the example's own arguments) and returns the endpoint they name. Without {@code --at}:
   * {@code defaultPort} on localhost, the abstract socket {@code @onyx-<example>}, or the name
   * {@code example}.
   *
   * @throws IllegalArgumentException for an unknown transport or a flag without its value
   */
  public static Endpoint fromArgs(List<String> args, String example, int defaultPort) {
    String transport = take(args, "--transport", "tcp").toLowerCase(Locale.ROOT);
    String at = take(args, "--at", null);
    return switch (transport) {
      case "tcp", "udp" -> new Endpoint(Transport.valueOf(transport.toUpperCase(Locale.ROOT)),
          "localhost", at == null ? defaultPort : port(at), null, null);
      case "unix" -> new Endpoint(Transport.UNIX, null, 0,
          UnixSocketAddress.parse(at == null ? "@onyx-" + example : at), null);
      case "in-process" -> new Endpoint(Transport.IN_PROCESS, null, 0, null, at == null ? example : at);
      default -> throw new IllegalArgumentException(
          "--transport must be tcp, udp, unix or in-process: " + transport);
    };
  }

  /**
   * A demo's command line, which holds {@code --transport} and {@code --at} and nothing else: the
   * endpoint they name (as {@link #fromArgs}, a free port for tcp and udp without {@code --at}).
   *
   * @param args the demo's arguments
   * @param example the example's name, for the default socket or in-process name
   * @return where the demo serves and calls
   * @throws IllegalArgumentException for anything else on it (a misspelt flag ran the default
   *     demo), or as {@link #fromArgs} throws
   */
  public static Endpoint ofDemo(String[] args, String example) {
    List<String> rest = new ArrayList<>(List.of(args));
    Endpoint where = fromArgs(rest, example, 0);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("expected only --transport tcp|udp|unix|in-process and --at"
          + " PORT|PATH|NAME, got " + String.join(" ", rest));
    }
    return where;
  }

  /**
   * Refuses a server's command line with more than {@code most} arguments left once the flags are
   * taken: the rest were ignored, and the server served as if they had not been given.
   *
   * @param rest what {@link #fromArgs} left
   * @param most how many the server reads
   * @param usage what it reads, as {@code [PORT]}
   * @throws IllegalArgumentException naming what it reads and what it got
   */
  public static void atMost(List<String> rest, int most, String usage) {
    if (rest.size() > most) {
      throw new IllegalArgumentException("expected " + usage + ", got " + String.join(" ", rest));
    }
  }

  /**
   * Where a client's command line says to call over TCP: nothing is {@code localhost} on {@code
   * defaultPort}; {@code HOST} that host on it; {@code HOST PORT} both; and a number alone a port
   * of {@code localhost}, as a server takes its port (a client given only {@code 4799} would
   * otherwise look for a host named {@code 4799}).
   *
   * @throws IllegalArgumentException for a port that is not one, or more than two arguments
   */
  public static Endpoint calledAt(List<String> args, int defaultPort) {
    if (args.size() > 2) {
      throw new IllegalArgumentException("expected [HOST] [PORT], got " + String.join(" ", args));
    }
    if (args.isEmpty()) {
      return tcp("localhost", defaultPort);
    }
    String first = args.get(0);
    if (args.size() == 1) {
      return first.chars().allMatch(Character::isDigit) ? tcp("localhost", port(first)) : tcp(first, defaultPort);
    }
    return tcp(first, port(args.get(1)));
  }

  /**
   * This endpoint, for a client, with the {@code [HOST] [PORT]} left on its command line once
   * {@link #fromArgs} has taken the flags, read as {@link #calledAt} reads them: {@code 4799
   * --transport udp} calls port 4799 of localhost over UDP, as {@code 4799} alone does over TCP.
   *
   * @throws IllegalArgumentException for such arguments to a Unix-domain or in-process endpoint,
   *     which {@code --at} alone names, and as {@link #calledAt} throws
   */
  public Endpoint calling(List<String> rest) {
    if (rest.isEmpty()) {
      return this;
    }
    if (transport != Transport.TCP && transport != Transport.UDP) {
      throw new IllegalArgumentException("the " + (transport == Transport.UNIX ? "socket" : "name")
          + " is given with --at, not as " + String.join(" ", rest));
    }
    Endpoint at = calledAt(rest, port);
    return new Endpoint(transport, at.host(), at.port(), null, null);
  }

  /**
   * A port number given on the command line.
   *
   * @throws IllegalArgumentException naming what was given, when it is not 0..65535
   */
  public static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw new IllegalArgumentException("not a port (0..65535): " + text);
  }

  private static String take(List<String> args, String flag, String otherwise) {
    int i = args.indexOf(flag);
    if (i < 0) {
      return otherwise;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    String value = args.get(i + 1);
    args.subList(i, i + 2).clear();
    return value;
  }

  /**
   * Sets where {@code builder} listens: the loopback address (TCP and UDP, whichever was asked),
   * the Unix-domain socket, or the in-process name.
   */
  public RpcServerBuilder listen(RpcServerBuilder builder) {
    return switch (transport) {
      case TCP, UDP -> builder.bind(InetAddress.getLoopbackAddress(), port);
      case UNIX -> builder.unixSocket(socket);
      case IN_PROCESS -> builder.inProcess(name);
    };
  }

  /**
   * This endpoint, for a server that runs alone ({@code main}); an in-process one, which only
   * its own JVM could call, is refused, pointing at {@code demo}, which runs server and client.
   *
   * @throws IllegalArgumentException for an in-process endpoint
   */
  public Endpoint servedAlone(String demo) {
    if (transport == Transport.IN_PROCESS) {
      throw new IllegalArgumentException("an in-process server serves its own JVM only: run " + demo
          + " --transport in-process");
    }
    return this;
  }

  /** This endpoint on {@code port} instead, for TCP and UDP; itself for the others. */
  public Endpoint atPort(int port) {
    return transport == Transport.TCP || transport == Transport.UDP
        ? new Endpoint(transport, host, port, null, null) : this;
  }

  /** This endpoint with the port {@code server} got, for a server started on port 0. */
  public Endpoint boundTo(RpcServer server) {
    return transport == Transport.TCP || transport == Transport.UDP
        ? new Endpoint(transport, "127.0.0.1", server.port(), null, null) : this;
  }

  /**
   * Where {@code server}, started at this endpoint, listens, for its startup line: "TCP and UDP on
   * 127.0.0.1 port 4711", "TCP on 127.0.0.1 port 4713" (a server that left UDP out), "UNIX at
   * /tmp/calc.sock".
   */
  public String listening(RpcServer server) {
    Endpoint bound = boundTo(server);
    if (transport != Transport.TCP && transport != Transport.UDP) {
      return bound.toString();
    }
    String overIp = server.transports().stream()
        .filter(t -> t == Transport.TCP || t == Transport.UDP)
        .sorted()
        .map(Transport::name)
        .collect(Collectors.joining(" and "));
    return overIp + " on " + bound.host() + " port " + bound.port();
  }

  /** A client builder that calls this endpoint. */
  public RpcClientBuilder client() {
    return switch (transport) {
      case TCP, UDP -> RpcClient.builder().address(host, port).transport(transport);
      case UNIX -> RpcClient.builder().unixSocket(socket);
      case IN_PROCESS -> RpcClient.builder().inProcess(name);
    };
  }

  /** "TCP and UDP on 127.0.0.1 port 4711", "UNIX at /tmp/calc.sock", "IN_PROCESS as calculator". */
  @Override
  public String toString() {
    return switch (transport) {
      case TCP, UDP -> "TCP and UDP on " + host + " port " + port;
      case UNIX -> "UNIX at " + socket;
      case IN_PROCESS -> "IN_PROCESS as " + name;
    };
  }
}
