package org.onyxrpc.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.transport.Transport;

/** The places a server listens on, as its log lines and errors name them to a person. */
final class ListenPlaces {
  private ListenPlaces() {}

  /** "port 4711 [TCP, UDP], Unix-domain socket /run/calc.sock": every place {@code config} serves. */
  static String describe(ServerConfig config, int port) {
    return places(config, port == 0 ? null : "port " + port, text -> text);
  }

  /**
   * "127.0.0.1:4711 [TCP, UDP], Unix-domain socket /run/calc.sock", for {@code RpcServer.toString}:
   * the bound address in numbers (the loopback address's host string is "localhost"), and the
   * names a user chose escaped and cut short, as a printed object stays one short line.
   */
  static String printed(ServerConfig config, int port) {
    String bound = null;
    if (port != 0) {
      InetAddress address = config.bindAddress().getAddress();
      bound = hostPort(address != null ? address.getHostAddress() : config.bindAddress().getHostString(), port);
    }
    return places(config, bound, RateLimitedLog::shortText);
  }

  private static String places(ServerConfig config, String ipPlace, UnaryOperator<String> named) {
    List<String> where = new ArrayList<>();
    if (ipPlace != null) {
      where.add(ipPlace + " " + EnumSet.copyOf(config.transports()).stream()
          .filter(t -> t == Transport.TCP || t == Transport.UDP).toList());
    }
    if (config.unixSocket() != null) {
      where.add("Unix-domain socket " + named.apply(config.unixSocket().toString()));
    }
    if (config.inProcessName() != null) {
      where.add("in-process name \"" + named.apply(config.inProcessName()) + "\"");
    }
    return String.join(", ", where);
  }

  /** "127.0.0.1:4711", "[::]:4711": what a user typed, not InetSocketAddress's "/127.0.0.1:4711". */
  static String hostPort(InetSocketAddress address) {
    return hostPort(address.getHostString(), address.getPort());
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
