package org.onyxrpc.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.health.Health;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.RegisteredVersions;
import org.onyxrpc.health.HealthClient;
import org.onyxrpc.health.ServingStatus;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx ping HOST[:PORT]|unix:PATH PROGRAM|NAME [VERSION] [--health[=SERVICE]]}. */
@Command(name = "ping", mixinStandardHelpOptions = true,
    description = "Calls the NULL procedure (0) of each version of a program and prints the round-trip "
        + "time, as rpcinfo -t/-u does. PROGRAM is a number (decimal or 0x hex), pinged at "
        + "HOST:PORT, or where HOST's directory says. NAME is a service name registered in an Onyx "
        + "directory, or its last part when only one registered name ends in it (Calculator for "
        + "org.onyxrpc.examples.calculator.Calculator): the directory at HOST:PORT (as onyx list HOST:PORT asks), whose instances are "
        + "pinged; when HOST:PORT is a server and not a directory, HOST's directory (--rpcbind-port) "
        + "names the program and the server at PORT is pinged. Without VERSION every version is "
        + "pinged: those the directory has, or with a PORT (or unix:PATH) the range the server "
        + "reports.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every version answered (and with --health: SERVING)",
      "2:bad command line",
      "4:a version did not answer, the name or program is not registered, or (--health) the "
          + "server has no health service",
      "5:--health: the service answered, and is NOT_SERVING or UNKNOWN"})
public final class PingCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public PingCommand() {}

  /** Most versions pinged when a server reports its range. */
  static final int MAX_VERSIONS = 64;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]|unix:PATH",
      description = "The server, or its host; with a NAME, the directory that has it (or the server); or the "
          + "server's Unix-domain socket (unix:/run/calc.sock, unix:@NAME), pinged by PROGRAM number.")
  String target;

  @Parameters(index = "1", paramLabel = "PROGRAM|NAME", description = "Program number or Onyx service name.")
  String program;

  @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION", converter = VersionConverter.class,
      description = "Ping only this version (decimal or hex).")
  Long version;

  /** What {@code --health} without a value stands for: NAME, or the whole server. */
  private static final String DEFAULT_SERVICE = "\u0000";

  @Option(names = "--health", arity = "0..1", fallbackValue = DEFAULT_SERVICE, paramLabel = "SERVICE",
      description = "Also ask the server's health service (program 0x4F4E5948) about SERVICE "
          + "(default: NAME, or the whole server when a number was given).")
  String health;

  @Mixin ClientOptions client;

  @Mixin TlsOptions tls;

  @Spec CommandSpec spec;

  private Transport transport; // what reaches the target, from the options and the target

  // The last server called, for the TLS probe after AUTH_TOOWEAK: null before any.
  private SocketAddress called;
  private int calledProgram;
  private int calledVersion;

  /** Why HOST:PORT, asked for a NAME, was not taken as its directory; null when not asked. */
  private String notADirectory;

  /**
   * The program asked about: its number, the service name typed (or null), the versions to ping,
   * and the name's instances in the directory (null for a number, or a name pinged at a port).
   */
  private record Asked(int number, String name, TreeSet<Long> versions, List<ServiceInstance> instances) {}

  @Override
  public Integer call() {
    Target t = Target.parse(target);
    if (version != null && (version < 0 || version > 0xFFFFFFFFL)) {
      // cast to int below, 4294967297 would ping version 1
      throw new BadCommandLine("versions are 0..4294967295, got " + version);
    }
    transport = client.transport(t);
    tls.check(transport);
    if (t.isUnixSocket() && number(program) == null) {
      throw new BadCommandLine("a unix: target is pinged by PROGRAM number: names are looked up in a"
          + " HOST's directory, not " + program);
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (t.port() != 0 && number(program) == null) {
        t = directoryAt(t);
      }
      Asked asked = asked(t);
      // Addresses the directory gave: one that nothing answers may be a stopped server's entry.
      String directory = ClientOptions.byDirectory(t) ? t.host() + ":" + client.rpcbindPort : null;
      int status = ExitCodes.OK;
      SocketAddress first = null;
      for (long v : asked.versions()) {
        List<SocketAddress> addresses = new ArrayList<>();
        status = Math.max(status, asked.instances() != null
            ? instanceAddresses(t, asked, (int) v, addresses, out)
            : resolvedAddress(t, asked, (int) v, addresses, out));
        for (SocketAddress address : addresses) {
          first = first == null ? address : first;
          status = Math.max(status, ping(address, asked.number(), (int) v, directory, out));
        }
      }
      if (health != null && first != null) {
        String service = !health.equals(DEFAULT_SERVICE) ? health : asked.name() != null ? asked.name() : "";
        status = Math.max(status, health(first, service, out));
      }
      return status;
    } catch (RpcException e) {
      ObjectNode error = Json.error(e);
      String stronger = tls.strongerSecurityHint(e, client.authSys != null,
          () -> client.offersTls(called, transport, calledProgram, calledVersion));
      if (stronger != null) {
        error.put("message", e.getMessage() + stronger);
      }
      out.println(Json.print(error));
      return ExitCodes.RPC_ERROR;
    } finally {
      out.flush();
    }
  }

  /**
   * Adds to {@code addresses} where the directory's instances of the name serve version {@code
   * v}, each port once; an instance that is no address, or a version with none, is printed.
   *
   * @return {@link ExitCodes#RPC_ERROR} if something was printed, else {@link ExitCodes#OK}
   */
  private int instanceAddresses(Target t, Asked asked, int v, List<SocketAddress> addresses,
      PrintWriter out) {
    // Every instance, as the help says: the one a directory look-up (GETADDR) gives may be a
    // killed server's whose lease has not run out, while another instance serves.
    int status = ExitCodes.OK;
    List<Integer> ports = new ArrayList<>();
    List<ServiceInstance> instances = instancesOf(asked, v);
    for (ServiceInstance i : instances) {
      int port = portOf(i);
      if (port == 0) {
        // The directory's answer is input: an address that does not parse, port 0, a group or
        // the broadcast is said to be no address (quoted escaped), not thrown as a usage error.
        out.printf("%s: the directory at %s:%d has %s over %s at '%s', not an address a client can call%n",
            ProgramVersion.describe(asked.number(), v), t.host(), client.rpcbindPort,
            RateLimitedLog.escaped(asked.name()), RateLimitedLog.shortText(i.netid()),
            RateLimitedLog.shortText(i.address()));
        status = ExitCodes.RPC_ERROR;
      } else if (!ports.contains(port)) {
        ports.add(port);
      }
    }
    if (ports.isEmpty() && status == ExitCodes.OK) {
      // The name's instances are all here: which versions it has, as PROG_MISMATCH would say.
      String registered = RegisteredVersions.described(asked.instances().stream()
          .filter(i -> i.program() == asked.number() && i.transport() == transport)
          .map(ServiceInstance::version).toList());
      out.printf("%s: no instance of %s over %s in the directory at %s:%d%s%n",
          ProgramVersion.describe(asked.number(), v), RateLimitedLog.escaped(asked.name()),
          transport.netid(), t.host(), client.rpcbindPort,
          registered == null ? "" : ": the directory has " + registered + " of it over " + transport.netid());
      status = ExitCodes.RPC_ERROR;
    }
    for (int port : ports) {
      // At HOST, as a look-up by address is answered (ClientOptions.resolve): the name TLS
      // checks the certificate for, and the host the user knows; unless the instances at the
      // port are all of the other family (AnsweredAt).
      List<InetSocketAddress> atPort = ClientOptions.callable(instances, transport).stream()
          .filter(a -> a.getPort() == port).toList();
      addresses.add(AnsweredAt.choose(t.host(), atPort.get(0), () -> atPort));
    }
    return status;
  }

  /**
   * Adds to {@code addresses} where the target serves version {@code v}, as the client options
   * resolve it (the directory's GETADDR, or the target's port); a failed look-up is printed.
   *
   * @return {@link ExitCodes#RPC_ERROR} if the look-up failed, else {@link ExitCodes#OK}
   */
  private int resolvedAddress(Target t, Asked asked, int v, List<SocketAddress> addresses,
      PrintWriter out) {
    try {
      addresses.add(client.resolve(t, transport, asked.number(), v));
      return ExitCodes.OK;
    } catch (RpcException e) {
      // The message may quote what the directory answered (a socket path): escaped.
      out.printf("%s: %s%n", ProgramVersion.describe(asked.number(), v), RateLimitedLog.escaped(e.getMessage()));
      return ExitCodes.RPC_ERROR;
    }
  }

  /** PROGRAM as a number, or NAME looked up in the host's directory; VERSION, or every version there is. */
  private Asked asked(Target t) {
    Long parsed = number(program);
    TreeSet<Long> versions = new TreeSet<>();
    int number;
    String name = null;
    List<ServiceInstance> instances = null;
    if (parsed != null) {
      number = (int) (long) parsed;
    } else {
      name = program;
      List<ServiceInstance> found;
      List<String> registered = List.of();
      try (RemoteDirectory directory = client.directory(t.host())) {
        found = directory.lookup(name);
        if (found.isEmpty() && !directory.keepsNames()) {
          throw new RpcException(RpcStatus.UNAVAILABLE, t.host() + " runs a plain rpcbind, which keeps no"
              + " service names: ping the PROGRAM by number (onyx list " + t.host() + " shows them)");
        }
        if (found.isEmpty()) {
          // The IDL's Calculator, where servers register org.example.Calculator: the one
          // registered name that ends in it is meant, as onyx call takes the IDL's short name.
          registered = registeredNames(t);
          List<String> ending = endingIn(registered, name);
          if (ending.size() == 1) {
            name = ending.get(0);
            found = directory.lookup(name);
          }
        }
      } catch (RpcException e) {
        if (notADirectory != null && e.status() == RpcStatus.UNAVAILABLE && e.getCause() != null) {
          throw new RpcException(RpcStatus.UNAVAILABLE, t + " is not a directory (" + notADirectory + "), and no"
              + " directory answers at " + t.host() + ":" + client.rpcbindPort + " to find " + name + ": give the"
              + " directory's HOST:PORT (as onyx list takes it) or --rpcbind-port, or the PROGRAM number to ping"
              + " the server at " + t + " (" + e.getMessage() + ")");
        }
        throw client.directoryFailure(e, t.host(), "find " + name);
      }
      if (found.isEmpty()) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "no service " + name + " is registered in the directory at "
            + t.host() + ":" + client.rpcbindPort + meant(registered, name));
      }
      number = found.get(0).program();
      instances = found;
      found.stream().filter(i -> i.program() == number).forEach(i -> versions.add(Integer.toUnsignedLong(i.version())));
    }
    if (version != null) {
      versions.clear();
      versions.add(version);
    } else if (versions.isEmpty()) {
      versions.addAll(discover(t, number));
    }
    // A name found in HOST's directory is pinged at each of its instances; at a PORT, there; over
    // Unix sockets, at the path the directory gives (ClientOptions.resolve).
    return new Asked(number, name, versions,
        name != null && t.port() == 0 && transport != Transport.UNIX ? instances : null);
  }

  /**
   * The instances of {@code version} over the transport, in the directory's order (a server bound
   * to every address registers tcp and tcp6 at one port: the caller pings each port once).
   */
  private List<ServiceInstance> instancesOf(Asked asked, int version) {
    return asked.instances().stream()
        .filter(i -> i.program() == asked.number() && i.version() == version && i.transport() == transport)
        .toList();
  }

  /**
   * The port of an instance's address, or 0 if the address does not parse or is a group's or
   * the broadcast ({@link ServerAddresses#callable}): no server is called there.
   */
  private static int portOf(ServiceInstance instance) {
    try {
      InetSocketAddress at = instance.socketAddress();
      return ServerAddresses.callable(at) ? at.getPort() : 0; // a group's or the broadcast's: none
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /**
   * The service names the directory at HOST (at {@code --rpcbind-port}) has, each once; none when
   * it cannot be asked again: they only help a NAME that it does not have.
   */
  private List<String> registeredNames(Target t) {
    TreeSet<String> names = new TreeSet<>();
    try (RpcClient rpc = client.directoryClient(new InetSocketAddress(t.host(), client.rpcbindPort), Transport.TCP)) {
      for (RpcbindQuery.Entry e : RpcbindQuery.entries(rpc)) {
        if (!e.instance().name().isEmpty()) {
          names.add(e.instance().name());
        }
      }
    } catch (RpcException e) {
      return List.of();
    }
    return List.copyOf(names);
  }

  /** The registered names whose last dot-separated part is {@code name}, as written. */
  static List<String> endingIn(List<String> registered, String name) {
    return registered.stream().filter(r -> r.endsWith("." + name)).toList();
  }

  /**
   * What ends the message for a NAME the directory does not have: "; it ends a.Calc and b.Calc:
   * give the full name" when NAME is the last part of several registered names; "; did you mean
   * com.example.Calc?" when it is one of them, or the last part of one, but for case; else empty.
   */
  static String meant(List<String> registered, String name) {
    List<String> ending = endingIn(registered, name);
    if (ending.size() > 1) {
      // its registrants' choice: escaped
      return "; it ends " + String.join(" and ", ending.stream().map(RateLimitedLog::escaped).toList())
          + ": give the full name";
    }
    List<String> names = registered.stream()
        .filter(r -> r.substring(r.lastIndexOf('.') + 1).equalsIgnoreCase(name) || r.equalsIgnoreCase(name))
        .map(RateLimitedLog::escaped)
        .toList();
    return names.isEmpty() ? "" : "; did you mean " + String.join(" or ", names) + "?";
  }

  /**
   * With a NAME, HOST:PORT is asked first as the directory that has it, as {@code onyx list
   * HOST:PORT} asks: if it is one, the target is its HOST, whose directory is at PORT. Otherwise
   * (a server, a plain rpcbind, nothing) PORT is the server's and the target stays as typed.
   */
  private Target directoryAt(Target t) {
    try (RemoteDirectory directory = RemoteDirectory.builder().address(t.host(), t.port())
        .timeout(client.timeout).build()) {
      directory.lookup(program);
      if (directory.keepsNames()) {
        client.directoryAt(t.port());
        return new Target(t.host(), 0);
      }
      notADirectory = "it keeps no service names";
    } catch (RpcException e) {
      if (e.status() == RpcStatus.UNAVAILABLE && transport == Transport.TCP) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "nothing answers at " + t + ", neither a directory to find "
            + program + " in nor its server (" + e.getMessage() + ")");
      }
      // PROG_UNAVAIL: RemoteDirectory found neither Onyx's directory nor rpcbind there (a server's port)
      notADirectory = e.status() == RpcStatus.PROG_UNAVAIL ? "it serves neither Onyx's directory nor rpcbind"
          : e.status() + ": " + e.getMessage();
    }
    return t;
  }

  private void calledAt(SocketAddress address, int program, int v) {
    called = address;
    calledProgram = program;
    calledVersion = v;
  }

  private int ping(SocketAddress address, int program, int v, String directory, PrintWriter out) {
    calledAt(address, program, v);
    String pv = ProgramVersion.describe(program, v);
    // A socket path is the directory's answer, its registrant's choice: escaped, as the
    // failure's message that quotes it.
    String where = RateLimitedLog.escaped(transport.netid() + " " + (address instanceof InetSocketAddress a
        ? a.getHostString() + ":" + a.getPort() : address.toString()));
    try (RpcClient rpc = client.client(address, transport, tls.clientTls(transport, program, v))) {
      rpc.ping(program, v); // connects first, so that the time below is one round trip
      long start = System.nanoTime();
      rpc.ping(program, v);
      long nanos = System.nanoTime() - start;
      out.printf(Locale.ROOT, "%s ready and waiting (%s, %.3f ms)%n", pv, where, nanos / 1e6);
      return ExitCodes.OK;
    } catch (RpcException e) {
      String stale = directory != null && e.status() == RpcStatus.UNAVAILABLE && e.getCause() != null
          ? ClientOptions.staleEntry(directory) : "";
      out.printf("%s is not available (%s): %s: %s%s%n", pv, where, e.status(),
          RateLimitedLog.escaped(e.getMessage()), stale);
      return ExitCodes.RPC_ERROR;
    }
  }

  private int health(SocketAddress address, String service, PrintWriter out) {
    try (RpcClient rpc = client.client(address, transport,
        tls.clientTls(transport, Health.PROGRAM, Health.VERSION))) {
      ServingStatus s = HealthClient.check(rpc, service);
      out.printf("health of %s: %s%n", service.isEmpty() ? "the server" : service, s);
      return s == ServingStatus.SERVING ? ExitCodes.OK : ExitCodes.NOT_SERVING;
    } catch (RpcException e) {
      out.printf("health: %s: %s%n", e.status(),
          e.status() == RpcStatus.PROG_UNAVAIL ? "the server has no health service"
              : RateLimitedLog.escaped(e.getMessage()));
      return ExitCodes.RPC_ERROR;
    }
  }

  /**
   * The versions a program has: those its host's directory lists, or with a port the range a
   * call of version 0 draws out of the server (PROG_MISMATCH low..high), as rpcinfo does; so
   * too at a Unix socket.
   */
  private List<Long> discover(Target t, int number) {
    List<Long> versions = new ArrayList<>();
    if (t.port() == 0 && !t.isUnixSocket()) {
      try (RpcClient rpc = client.directoryClient(new InetSocketAddress(t.host(), client.rpcbindPort), transport)) {
        RpcbindQuery.entries(rpc).stream()
            .map(RpcbindQuery.Entry::instance)
            // tcp6 and udp6 entries too (a server bound to an IPv6 address registers only those),
            // as ClientOptions.resolve finds them; over Unix sockets netid local.
            .filter(i -> i.program() == number && (transport == Transport.UNIX
                ? i.netid().equals(transport.netid()) : i.transport() == transport))
            .forEach(i -> versions.add(Integer.toUnsignedLong(i.version())));
      } catch (RpcException e) {
        throw client.directoryFailure(e, t.host(), "list the versions of program 0x" + Integer.toHexString(number));
      }
      if (!versions.isEmpty()) {
        return versions.stream().distinct().sorted().toList();
      }
      throw new RpcException(RpcStatus.UNAVAILABLE, "program 0x" + Integer.toHexString(number)
          + " is not registered over " + transport.netid() + " in the directory at " + t.host() + ":" + client.rpcbindPort);
    }
    SocketAddress address = client.resolve(t, transport, number, 0);
    calledAt(address, number, 0);
    try (RpcClient rpc = client.client(address, transport, tls.clientTls(transport, number, 0))) {
      rpc.ping(number, 0);
      versions.add(0L);
    } catch (RpcException e) {
      if (e.status() != RpcStatus.PROG_MISMATCH) {
        throw client.notAtDirectory(versionProbeFailure(e, number), t, transport, number);
      }
      long low = Integer.toUnsignedLong(e.low());
      long high = Math.min(Integer.toUnsignedLong(e.high()), low + MAX_VERSIONS - 1);
      for (long v = low; v <= high; v++) {
        versions.add(v);
      }
      if (versions.isEmpty()) {
        // low above high: the server names no version. Its failure, range as sent, is the
        // outcome (before: nothing pinged, nothing printed, exit 0, as if the program were up).
        throw e.rethrownHere();
      }
    }
    return versions;
  }

  /**
   * The failure of the call of version 0 that draws a program's versions out, worded without
   * "version 0": the user asked for no version, and the server may have none such. The cause,
   * which names it, is left out too (the JSON error would print its message).
   */
  private static RpcException versionProbeFailure(RpcException e, int number) {
    String program = "program 0x" + Integer.toHexString(number);
    String asking = " (asking which versions it has)";
    String message = e.getMessage()
        .replace("NULL (" + ProgramVersion.describe(number, 0) + " procedure 0)", "NULL of " + program + asking)
        .replace(ProgramVersion.describe(number, 0), program + asking);
    return e.status() == RpcStatus.AUTH_ERROR ? RpcException.authError(e.authStatus(), message)
        : new RpcException(e.status(), message);
  }

  /** PROGRAM as a number (decimal, or 0x hex), or null for a name; a bad number is refused. */
  static Long number(String text) {
    boolean hex = text.startsWith("0x") || text.startsWith("0X");
    try {
      // ASCII only: Long.parseLong also reads a sign and other scripts' digits (Arabic-Indic 3 is 3).
      int radix = hex ? 16 : 10;
      if (!text.substring(hex ? 2 : 0).chars().allMatch(c -> c < 0x80 && Character.digit(c, radix) >= 0)) {
        throw new NumberFormatException(text);
      }
      long value = hex ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
      if (value < 0 || value > 0xFFFFFFFFL) {
        throw new BadCommandLine("program numbers are 0..4294967295, got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      // A service name starts with a letter: this was meant as a number, not looked up as a name.
      if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
        throw new BadCommandLine("PROGRAM " + text + " is not a number (decimal, or hex as 0x20000101)");
      }
      return null;
    }
  }
}
