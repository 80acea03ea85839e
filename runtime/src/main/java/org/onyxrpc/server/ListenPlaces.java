package org.onyxrpc.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.onyxrpc.transport.Transport;

/** The places a server listens on, as its log lines and errors name them to a person. */
final class ListenPlaces {
  private ListenPlaces() {}

  /** "port 4711 [TCP, UDP], Unix-domain socket /run/calc.sock": every place {@code config} serves. */
  static String describe(ServerConfig config, int port) {
    List<String> where = new ArrayList<>();
    if (port != 0) {
      where.add("port " + port + " " + EnumSet.copyOf(config.transports()).stream()
          .filter(t -> t == Transport.TCP || t == Transport.UDP).toList());
    }
    if (config.unixSocket() != null) {
      where.add("Unix-domain socket " + config.unixSocket());
    }
    if (config.inProcessName() != null) {
      where.add("in-process name \"" + config.inProcessName() + "\"");
    }
    return String.join(", ", where);
  }

  /** "127.0.0.1:4711", "[::]:4711": what a user typed, not InetSocketAddress's "/127.0.0.1:4711". */
  static String hostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
