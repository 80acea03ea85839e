package org.onyxrpc.cli.command;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Option;

/** How a subcommand reaches a server: transport, timeout, credentials, where the directory is. */
public final class ClientOptions {
  @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|udp",
      converter = TransportConverter.class, completionCandidates = TransportConverter.Names.class,
      description = "Transport to call over (default: ${DEFAULT-VALUE}).")
  Transport transport;

  @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long a call may take, retransmissions included: 500ms, 10s, 1m (default: "
          + "${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--auth-sys", arity = "0..1", fallbackValue = "", paramLabel = "UID:GID[:GID,…]",
      description = "Send AUTH_SYS credentials: these ids, or this process's when no value is given.")
  String authSys;

  @Option(names = "--rpcbind-port", defaultValue = "" + Portmap.PORT, paramLabel = "PORT",
      description = "Port of the directory (or rpcbind) on the host, asked when HOST has no port (default:"
          + " ${DEFAULT-VALUE}).")
  int rpcbindPort;

  /** The credentials the options name. */
  Credentials credentials() {
    if (authSys == null) {
      return Credentials.NONE;
    }
    if (authSys.isEmpty()) {
      return Owners.processCredentials();
    }
    String[] parts = authSys.split(":", 3);
    try {
      int uid = Integer.parseInt(parts[0]);
      int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
      int[] gids = parts.length > 2 && !parts[2].isEmpty()
          ? java.util.Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).toArray()
          : new int[0];
      return new AuthSys(0, hostName(), uid, gid, gids);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--auth-sys expects UID:GID[:GID,…] in decimal, got " + authSys);
    }
  }

  /** A client of {@code address} with these options, in plaintext. */
  RpcClient client(InetSocketAddress address) {
    return client(address, null);
  }

  /** A client of {@code address} with these options, in TLS when {@code tls} is not null. */
  RpcClient client(InetSocketAddress address, ClientTls tls) {
    RpcClientBuilder builder = RpcClient.builder()
        .address(address)
        .transport(transport)
        .timeout(timeout)
        .connectTimeout(timeout)
        .credentials(credentials());
    return (tls == null ? builder : builder.tls(tls)).build();
  }

  /** The directory (or rpcbind) of {@code host}, which answers where programs listen. */
  RemoteDirectory directory(String host) {
    return RemoteDirectory.builder().address(host, rpcbindPort).timeout(timeout).build();
  }

  /**
   * Where to call a program version on {@code target}: its port when given, else the port the
   * host's directory (or rpcbind) has registered for it over the chosen transport.
   */
  InetSocketAddress resolve(Target target, int program, int version) {
    if (target.port() != 0) {
      return new InetSocketAddress(target.host(), target.port());
    }
    try (RemoteDirectory directory = directory(target.host())) {
      int port = directory.address(program, version, transport).getPort();
      return new InetSocketAddress(target.host(), port);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
