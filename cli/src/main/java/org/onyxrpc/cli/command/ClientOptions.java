package org.onyxrpc.cli.command;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.regex.Pattern;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.RegisteredVersions;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import picocli.CommandLine;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** How a subcommand reaches a server: transport, timeout, credentials, where the directory is. */
public final class ClientOptions {
  /** Picocli makes one per command and sets its options from the command line. */
  public ClientOptions() {}

  @Option(names = "--transport", paramLabel = "tcp|udp|unix",
      converter = TransportConverter.class, completionCandidates = TransportConverter.Names.class,
      // Each command's own text replaces this one: describeTransportPerCommand.
      description = "Transport to call over (default: tcp, unix for a unix:PATH target).")
  Transport transport; // null: what the target implies

  /** --transport's help for each command that mixes these options in, by its qualified name. */
  private static final Map<String, String> TRANSPORT_HELP = Map.of(
      "onyx call", toServer(),
      "onyx ping", toServer(),
      "onyx mq list", "Transport to call the queue server over: tcp or unix, it takes no UDP calls (default: tcp,"
          + " unix for a unix:PATH target). With unix, a HOST and no port: the Unix socket the host's directory"
          + " has for the queue service (netid local).",
      "onyx list", toDirectory(),
      "onyx watch", toDirectory());

  private static String toServer() {
    return "Transport to call over: tcp, udp or unix (default: tcp, unix for a unix:PATH target). With unix,"
        + " a HOST and no port: the Unix socket the host's directory has for the program (netid local).";
  }

  private static String toDirectory() {
    return "Transport to ask the directory over: tcp or udp (default: tcp). Its Unix socket is asked as"
        + " unix:PATH, not as a HOST.";
  }

  /**
   * Gives {@code --transport} in each command's help what it does in that command: picocli shows
   * one mixin option's text in every command, and list and watch reach a directory's Unix socket
   * only as {@code unix:PATH} where call, ping and mq list find a program's through the HOST's
   * directory.
   *
   * @param onyx the top command line; its commands (and theirs) that take --transport get their text
   */
  public static void describeTransportPerCommand(CommandLine onyx) {
    for (CommandLine sub : onyx.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      OptionSpec option = spec.findOption("--transport");
      String help = TRANSPORT_HELP.get(spec.qualifiedName());
      if (option != null && help != null) {
        spec.remove(option);
        spec.addOption(OptionSpec.builder(option).description(help).build());
      }
      describeTransportPerCommand(sub);
    }
  }

  @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long a call may take, retransmissions included: 500ms, 10s, 1m (default: "
          + "${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--auth-sys", arity = "0..1", fallbackValue = "", paramLabel = "UID:GID[:GID,…]",
      preprocessor = AuthSysIds.class,
      description = "Send AUTH_SYS credentials: these ids, or this process's when no value is given.")
  String authSys;

  /**
   * Lets {@code --auth-sys} take the next argument only when it is ids (UID[:GID[:GID,…]]): the
   * usage puts options before the target, and picocli gave an optional value the target itself
   * ({@code onyx mq list --auth-sys HOST} then said the target was missing). An attached value
   * ({@code --auth-sys=…}) is always the option's, and checked by {@link #credentials()}.
   */
  static final class AuthSysIds implements IParameterPreprocessor {
    private static final Pattern IDS = Pattern.compile("\\d+(:\\d*(:[\\d,]*)?)?");

    @Override
    public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option,
        Map<String, Object> info) {
      boolean attached = !" ".equals(info.get("separator"));
      if (!attached && (args.isEmpty() || !IDS.matcher(args.peek()).matches())) {
        args.push(""); // as if --auth-sys= was given: this process's ids, the next argument left alone
      }
      return false;
    }
  }

  @Option(names = "--rpcbind-port", defaultValue = "" + Portmap.PORT, paramLabel = "PORT",
      // One text for every command that mixes these options in: ping's own use of it (a NAME's
      // program when HOST:PORT is a server) is in ping's description.
      description = "Port of the directory (or rpcbind) on the host, asked when HOST has no port"
          + " (default: ${DEFAULT-VALUE}).")
  int rpcbindPort;

  /** Asks the directory at {@code port} from now on: a target's HOST:PORT that turned out to be one. */
  void directoryAt(int port) {
    rpcbindPort = port;
  }

  /**
   * Whether the server at {@code address} takes RPC-over-TLS (it answers RFC 9289's probe to
   * {@code program}/{@code version} within the timeout); null when that cannot be asked: over
   * another transport than TCP, or before any server was called.
   */
  Boolean offersTls(SocketAddress address, Transport transport, int program, int version) {
    if (transport != Transport.TCP || !(address instanceof InetSocketAddress server)) {
      return null;
    }
    return TlsProbe.offersTls(server, program, version, timeout);
  }

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
      throw new BadCommandLine("--auth-sys expects UID:GID[:GID,…] in decimal, got " + authSys);
    }
  }

  /**
   * The transport that reaches {@code target}: {@code --transport}, else UNIX for a {@code unix:}
   * target and TCP for a host.
   *
   * @throws IllegalArgumentException when {@code --transport} cannot reach the target
   */
  Transport transport(Target target) {
    if (target.isUnixSocket()) {
      if (transport != null && transport != Transport.UNIX) {
        throw new BadCommandLine("--transport " + transport.netid() + " cannot reach " + target
            + ", a Unix-domain socket: leave --transport out, or give HOST[:PORT]");
      }
      return Transport.UNIX;
    }
    Transport chosen = transport == null ? Transport.TCP : transport;
    if (chosen == Transport.UNIX && target.port() != 0) {
      throw new BadCommandLine("--transport unix reaches no port: give unix:PATH (or unix:@NAME), or HOST"
          + " alone to ask its directory for the program's socket, not " + target);
    }
    return chosen;
  }

  /**
   * A client of the directory (or rpcbind) at {@code address}, in plaintext. It takes no reply
   * longer than a directory's longest (as {@link RemoteDirectory} does): what announces more is
   * refused at once rather than buffered up to a client's general limit while --timeout runs.
   */
  RpcClient directoryClient(SocketAddress address, Transport transport) {
    // A directory found by host and port is asked over TCP when the program is over a Unix socket.
    return builder(address, address instanceof InetSocketAddress && transport == Transport.UNIX
        ? Transport.TCP : transport).maxRecordBytes(Portmap.MAX_REPLY_BYTES).build();
  }

  /** A client of {@code address} over {@code transport}, in TLS when {@code tls} is not null. */
  RpcClient client(SocketAddress address, Transport transport, ClientTls tls) {
    return client(address, transport, tls, timeout);
  }

  /** As {@link #client(SocketAddress, Transport, ClientTls)}, its connection made within {@code connect}. */
  RpcClient client(SocketAddress address, Transport transport, ClientTls tls, Duration connect) {
    RpcClientBuilder builder = builder(address, transport).connectTimeout(connect);
    return (tls == null ? builder : builder.tls(tls)).build();
  }

  /**
   * What call and ping add when nothing answers where the directory at {@code directory}
   * (HOST:PORT) said: the port is the directory's answer, which the user never gave.
   */
  static String staleEntry(String directory) {
    return "; the directory at " + directory + " has it registered there: an entry a server left when it stopped"
        + " without withdrawing it is listed until its lease runs out (onyx list " + directory
        + " shows the entries and their leases)";
  }

  /** Whether {@code target} is a HOST whose directory says where to call (no port, no socket). */
  static boolean byDirectory(Target target) {
    return !target.isUnixSocket() && target.port() == 0;
  }

  private RpcClientBuilder builder(SocketAddress address, Transport transport) {
    RpcClientBuilder builder = RpcClient.builder()
        .timeout(timeout)
        .connectTimeout(timeout)
        .credentials(credentials());
    if (address instanceof UnixSocketAddress unix) {
      builder.unixSocket(unix);
    } else {
      builder.address((InetSocketAddress) address).transport(transport);
    }
    return builder;
  }

  /** The directory (or rpcbind) of {@code host}, which answers where programs listen. */
  RemoteDirectory directory(String host) {
    return directory(host, timeout);
  }

  /** As {@link #directory(String)}, its calls bounded by {@code bound} (what is left of a call's --timeout). */
  RemoteDirectory directory(String host, Duration bound) {
    return RemoteDirectory.builder().address(host, rpcbindPort).timeout(bound).build();
  }

  /** Whether {@link #resolve}'s directory answered, and said the program version is not registered. */
  private boolean notRegistered;

  /**
   * Whether the last {@link #resolve} failed because the directory answered that the program
   * version is not registered there (rather than because it could not be asked).
   *
   * @return true after such a failure
   */
  boolean notRegistered() {
    return notRegistered;
  }

  /**
   * The versions of {@code program} that {@code target}'s directory has over {@code transport}, for
   * a hint after its look-up failed; empty when a port or socket was given, or the directory
   * cannot say.
   */
  List<Integer> registeredVersions(Target target, Transport transport, int program) {
    if (target.isUnixSocket() || target.port() != 0 || transport == Transport.UNIX) {
      return List.of();
    }
    try (RemoteDirectory directory = directory(target.host())) {
      return directory.versions(program, transport);
    } catch (RpcException e) {
      return List.of();
    }
  }

  /**
   * Where to call a program version on {@code target} over {@code transport}: its Unix socket or
   * port when given, else the address the host's directory (or rpcbind) has registered for it
   * over that transport (for UNIX the socket of netid {@code local}).
   */
  SocketAddress resolve(Target target, Transport transport, int program, int version) {
    if (target.isUnixSocket()) {
      return target.socket();
    }
    if (target.port() != 0) {
      return new InetSocketAddress(target.host(), target.port());
    }
    try (RemoteDirectory directory = directory(target.host())) {
      if (transport == Transport.UNIX) {
        return localSocket(directory, target, program, version);
      }
      InetSocketAddress answered = directory.address(program, version, transport);
      return AnsweredAt.choose(target.host(), answered, () -> callable(directory.lookup(program, version), transport));
    } catch (RpcException e) {
      RpcException failure = directoryFailure(e, target.host(), "say where " + ProgramVersion.describe(program, version)
          + " listens");
      notRegistered = failure == e && e.getCause() == null && transport != Transport.UNIX;
      // Over TCP and UDP, the directory's failure names the versions there are itself
      // (Directory.address); the local socket's look-up is this class's own.
      throw failure == e && e.getCause() == null && transport == Transport.UNIX
          ? withRegisteredVersions(e, target.host(), transport, program, version, "a Unix socket") : failure;
    }
  }

  /**
   * The directory's next entry for {@code program} {@code version} over {@code transport} after a
   * call that could not be made at any of {@code tried} (nothing was sent there: a server killed
   * before it withdrew its entry is listed until its lease runs out), in the directory's order
   * and called as {@link #resolve} calls its answer; null when a port or socket was given, no
   * entry is left, or the directory cannot be asked again (the call's own failure then stands).
   */
  SocketAddress nextInstance(Target target, Transport transport, int program, int version,
      Set<SocketAddress> tried, Duration bound) {
    List<SocketAddress> left = untried(target, transport, program, version, tried, bound);
    return left.isEmpty() ? null : left.get(0);
  }

  /**
   * The directory's entries for {@code program} {@code version} over {@code transport} that are
   * not in {@code tried}, in its order and as {@link #resolve} calls them; empty when a port or
   * socket was given, or the directory, asked within {@code bound}, cannot say.
   */
  List<SocketAddress> untried(Target target, Transport transport, int program, int version,
      Set<SocketAddress> tried, Duration bound) {
    List<SocketAddress> left = new ArrayList<>();
    if (!byDirectory(target)) {
      return left;
    }
    try (RemoteDirectory directory = directory(target.host(), bound)) {
      List<ServiceInstance> instances = directory.lookup(program, version);
      if (transport == Transport.UNIX) {
        for (ServiceInstance i : instances) {
          if (i.netid().equals(Transport.UNIX.netid())) {
            try {
              UnixSocketAddress at = UnixSocketAddress.parse(i.address());
              if (!tried.contains(at) && !left.contains(at)) {
                left.add(at);
              }
            } catch (IllegalArgumentException notASocket) {
              // the directory's answer is input: skipped, as resolve refuses it
            }
          }
        }
        return left;
      }
      for (InetSocketAddress answered : callable(instances, transport)) {
        InetSocketAddress at = AnsweredAt.choose(target.host(), answered, List::of);
        if (!tried.contains(at) && !left.contains(at)) {
          left.add(at);
        }
      }
      return left;
    } catch (RpcException cannotAsk) {
      return left;
    }
  }

  /**
   * {@code e}, the directory of {@code host} saying that {@code program} {@code version} is not
   * registered over {@code transport}, followed by the versions of it that are, as a server's
   * PROG_MISMATCH names the versions it has: {@code ...: the directory has version 1 only of it
   * over TCP}. The status stays: nothing was sent. {@code e} itself when the directory has no
   * other version of the program there, or cannot say.
   *
   * @param over how {@code e} names the transport ({@code TCP}, or the netid {@code tcp})
   */
  RpcException withRegisteredVersions(RpcException e, String host, Transport transport, int program, int version,
      String over) {
    List<Integer> registered = new ArrayList<>();
    try (RpcClient rpc = directoryClient(new InetSocketAddress(host, rpcbindPort), transport)) {
      for (ServiceInstance i : RpcbindQuery.dump(rpc)) {
        boolean there = transport == Transport.UNIX ? i.netid().equals(Transport.UNIX.netid())
            : i.transport() == transport;
        if (i.program() == program && there) {
          registered.add(i.version());
        }
      }
    } catch (RpcException | IllegalArgumentException cannotSay) {
      return e; // the answer stands as it was
    }
    String versions = RegisteredVersions.described(registered);
    return versions == null || registered.contains(version) ? e
        : new RpcException(e.status(), e.getMessage() + ": the directory has " + versions + " of it over " + over);
  }

  /**
   * {@code e}, from asking {@code host}'s directory in order to {@code purpose}; when the directory
   * could not be reached, told as such, with what to give instead.
   */
  RpcException directoryFailure(RpcException e, String host, String purpose) {
    // A call that failed carries its cause; "not registered" is the directory's answer and has none.
    if (e.status() == RpcStatus.UNAVAILABLE && RpcbindQuery.unknownHost(e)) {
      return new RpcException(RpcStatus.UNAVAILABLE, e.getMessage()); // the name is wrong, not the port: its cause is in the text
    }
    if (e.status() == RpcStatus.UNAVAILABLE && e.getCause() != null) {
      return new RpcException(RpcStatus.UNAVAILABLE, "no directory (or rpcbind) answers at " + host + ":"
          + rpcbindPort + " to " + purpose + ": give HOST:PORT, or --rpcbind-port if the directory is on another"
          + " port (" + e.getMessage() + ")"); // its cause is in the text: the JSON tells it once
    }
    return e;
  }

  /**
   * {@code e}, from calling {@code program} at {@code target}; when the program is not there
   * (PROG_UNAVAIL) and {@code target} is a HOST:PORT that answers as a directory (or rpcbind),
   * told as such, with the command line that asks it where the program is. Typing the directory's
   * port where the server's belongs (as {@code onyx list} takes it) otherwise only says "not
   * available on the server", naming neither.
   */
  RpcException notAtDirectory(RpcException e, Target target, Transport transport, int program) {
    if (e.status() != RpcStatus.PROG_UNAVAIL || target.isUnixSocket() || target.port() == 0) {
      return e;
    }
    try (RpcClient rpc = directoryClient(new InetSocketAddress(target.host(), target.port()), transport)) {
      rpc.ping(Portmap.PROGRAM, Portmap.VERSION);
    } catch (RpcException notOne) {
      return e;
    }
    return new RpcException(RpcStatus.PROG_UNAVAIL, target + " is a directory (or rpcbind), not a server of program 0x"
        + Integer.toHexString(program) + ": give " + target.host() + " --rpcbind-port " + target.port()
        + " to reach the program where it says (" + e.getMessage() + ")");
  }

  /** The addresses of {@code instances} over {@code transport} that a client can call, in order. */
  static List<InetSocketAddress> callable(List<ServiceInstance> instances, Transport transport) {
    List<InetSocketAddress> callable = new ArrayList<>();
    for (ServiceInstance i : instances) {
      if (i.transport() == transport) {
        try {
          InetSocketAddress at = i.socketAddress();
          if (ServerAddresses.callable(at)) { // not port 0, a group or the broadcast
            callable.add(at);
          }
        } catch (IllegalArgumentException notAnAddress) {
          // the directory's answer is input: skipped, as Directory.address skips it
        }
      }
    }
    return callable;
  }

  private static UnixSocketAddress localSocket(RemoteDirectory directory, Target target, int program, int version) {
    for (ServiceInstance i : directory.lookup(program, version)) {
      if (i.netid().equals(Transport.UNIX.netid())) {
        try {
          return UnixSocketAddress.parse(i.address());
        } catch (IllegalArgumentException e) {
          throw new RpcException(RpcStatus.UNAVAILABLE, "the directory of " + target.host() + " has "
              + ProgramVersion.describe(program, version) + " at a socket no client can reach: " + e.getMessage());
        }
      }
    }
    throw new RpcException(RpcStatus.UNAVAILABLE, ProgramVersion.describe(program, version)
        + " is not registered over a Unix socket (netid local) with the directory of " + target.host());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
