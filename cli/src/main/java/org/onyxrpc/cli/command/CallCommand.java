package org.onyxrpc.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.onyxrpc.cli.json.DynamicProcedure;
import org.onyxrpc.cli.json.JsonValueException;
import org.onyxrpc.cli.json.Outcome;
import org.onyxrpc.cli.schema.Services;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code onyx call HOST[:PORT]|unix:PATH SERVICE.procedure --idl FILE… [-d JSON|@file|-]}. */
@Command(name = "call", mixinStandardHelpOptions = true,
    description = {
      "Calls a procedure of any ONC RPC server with JSON arguments and prints the result as JSON.",
      "",
      "The arguments are one object with a member per parameter, e.g. -d '{\"a\": 2, \"b\": 40}'. Without a port,"
          + " the host's directory (or rpcbind) says where the program listens; when nothing listens at its"
          + " entry (the call did not run there), its next entry is called, and standard error says which answered.",
      "",
      "--timeout is the whole call's, the directory's entries it goes to included (for the first call, its"
          + " look-up too): each entry's connection is made within --connect-timeout, so an entry that never"
          + " answers a connect costs that, not the whole --timeout. An at-least-once call (@idempotent, or"
          + " --semantics at_least_once) that times out at an entry may have run there and is made at the next,"
          + " as a DirectoryClient makes it: the time left is shared among the entries left. Any other call that"
          + " may have run (TIMEOUT, OUTCOME_UNKNOWN, an answer) is never made again elsewhere."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the call returned (its result is printed)",
      "1:the IDL has errors",
      "2:bad command line, an --idl, --prelude or -d @file that cannot be read, bad JSON, a value"
          + " that does not fit its type, or an unknown service or procedure",
      "3:the procedure threw a declared exception ({\"exception\": …, \"value\": …})",
      "4:the call failed ({\"error\": STATUS, \"message\": …})"})
public final class CallCommand implements Callable<Integer> {
  /**
   * Most directory entries one call tries, each after a look-up: a directory may list thousands
   * where nothing listens (a hostile one, or one full of killed servers' entries), and onyx asked
   * it again and tried the next for each, its failure naming every address tried.
   */
  static final int MAX_ENTRIES_TRIED = 16;

  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public CallCommand() {}

  @Parameters(index = "0", paramLabel = "HOST[:PORT]|unix:PATH",
      description = "The server: a host and port, or a Unix-domain socket of this machine (unix:/run/calc.sock,"
          + " or unix:@NAME for a Linux abstract name).")
  String target;

  @Parameters(index = "1", paramLabel = "SERVICE.procedure",
      description = "The service (its IDL or package-qualified name) and the procedure, e.g. "
          + "Calculator.add.")
  String reference;

  @Mixin IdlOptions idl;

  @Mixin ClientOptions client;

  @Mixin TlsOptions tls;

  @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|-",
      description = "The arguments: JSON text, @file to read it from a file, - for standard input.")
  String data;

  @Option(names = "--program-version", paramLabel = "N", converter = VersionConverter.class,
      description = "Call this version of the service, decimal or hex (default: the highest that has the"
          + " procedure).")
  Long version;

  @Option(names = "--semantics", paramLabel = "maybe|at_least_once|at_most_once",
      converter = SemanticsConverter.class, completionCandidates = SemanticsConverter.Names.class,
      description = "Override the procedure's failure semantics (default: at_least_once for @idempotent, "
          + "maybe for oneway, else at_most_once).")
  CallSemantics semantics;

  @Option(names = "--connect-timeout", defaultValue = "3s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Calling by the directory's entries (HOST without a port): how long making a connection to"
          + " one entry may take before the next is tried, within --timeout (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
      description = "Make the call N times on one connection, printing each result and a timing summary on"
          + " stderr.")
  int repeat;

  @Spec CommandSpec spec;

  /** Less time than this left of a call's --timeout: no next entry is tried. */
  private static final Duration MIN_TRY = Duration.ofMillis(10);

  /** The calls of --repeat made so far, and how long each took: kept across a failover. */
  private int made;
  private long[] nanos;
  /** When the call {@link #deadlineOf} must end, by System.nanoTime: its --timeout, across entries. */
  private long deadline;
  private int deadlineOf = -1;
  /** The entries a call may yet go to, this one included: an at-least-once call shares its time among them. */
  private int entriesLeft = 1;

  @Override
  public Integer call() {
    if (repeat < 1) {
      throw new BadCommandLine("--repeat must be at least 1, got " + repeat);
    }
    if (version != null && (version < 0 || version > 0xFFFFFFFFL)) {
      // Versions are unsigned 32 bits, as onyx ping takes them: cast to int, 4294967297 would call 1.
      throw new BadCommandLine("versions are 0..4294967295, got " + version);
    }
    Schema schema = idl.schema();
    Services.Found found = Services.procedure(schema, reference, version == null ? null : (int) (long) version);
    DynamicProcedure dynamic = new DynamicProcedure(schema, found.service(), found.version(), found.procedure());
    JsonNode args = Json.arguments(data, Path.of("").toAbsolutePath(), System.in);
    byte[] encoded;
    try {
      encoded = dynamic.encodeArguments(args);
    } catch (JsonValueException e) {
      String chosen = version == null ? versionChosen(found) : null;
      if (chosen == null) {
        throw e;
      }
      throw new IllegalArgumentException(e.getMessage() + chosen, e);
    }
    CallSemantics chosen = semantics != null ? semantics : dynamic.defaultSemantics();
    Procedure<byte[], Outcome> procedure = dynamic.procedure(chosen);
    PrintWriter out = spec.commandLine().getOut();
    Target where = Target.parse(target);
    Transport transport = client.transport(where);
    ClientTls clientTls = tls.clientTls(transport, procedure.program(), procedure.version());
    SocketAddress[] called = new SocketAddress[1]; // for the TLS probe after AUTH_TOOWEAK
    // The first call's --timeout counts from here: the directory's look-up is part of it.
    deadline = System.nanoTime() + client.timeout.toNanos();
    deadlineOf = 0;
    try {
      SocketAddress address = client.resolve(where, transport, procedure.program(), procedure.version());
      boolean byDirectory = ClientOptions.byDirectory(where);
      boolean atLeastOnce = chosen == CallSemantics.AT_LEAST_ONCE;
      Set<SocketAddress> tried = new HashSet<>();
      RpcException mayHaveRun = null; // an at-least-once call's failure at an entry where it may have run
      while (true) {
        called[0] = address;
        if (atLeastOnce && byDirectory) { // its time is shared among the entries it may go to
          entriesLeft = 1; // the look-up below may take what is left
          entriesLeft = 1 + client.untried(where, transport, procedure.program(), procedure.version(),
              withAddress(tried, address), share()).size();
        }
        // By the directory's entries, a connection is bounded per entry: one that never answers a
        // connect cost the whole --timeout before the next was tried.
        Duration connect = byDirectory ? min(connectTimeout, share()) : client.timeout;
        try (RpcClient rpc = client.client(address, transport, clientTls, connect)) {
          int exit = repeat(rpc, procedure, encoded, found.procedure().oneway(), out);
          if (!tried.isEmpty()) {
            err("onyx: " + printed(address) + " answered");
          }
          return exit;
        } catch (RpcException e) {
          // A call that never left goes to the directory's next entry, as a DirectoryClient's does,
          // and so does an at-least-once call that went unanswered (running it again is harmless);
          // any other that may have run (TIMEOUT, OUTCOME_UNKNOWN, a server's answer) is told.
          tried.add(address);
          // PROG_UNAVAIL: a server shutting down refuses every call so (nothing ran).
          boolean notRun = e.status() == RpcStatus.UNAVAILABLE || e.status() == RpcStatus.PROG_UNAVAIL;
          boolean unanswered = e.status() == RpcStatus.TIMEOUT || e.status() == RpcStatus.OUTCOME_UNKNOWN;
          if (unanswered && atLeastOnce && mayHaveRun == null) {
            mayHaveRun = e;
          }
          SocketAddress next = (notRun || unanswered && atLeastOnce) && left().compareTo(MIN_TRY) >= 0
              && tried.size() < MAX_ENTRIES_TRIED
              ? client.nextInstance(where, transport, procedure.program(), procedure.version(), tried, left())
              : null;
          if (next == null) {
            throw failure(e, address, tried, mayHaveRun);
          }
          err("onyx: " + e.getMessage() + (notRun ? ": the call did not run" : ": it may have run there, and is"
              + " at-least-once") + "; calling the directory's next entry, " + printed(next));
          address = next;
        }
      }
    } catch (RpcException e) {
      ObjectNode error = Json.error(client.notAtDirectory(e, where, transport, procedure.program()));
      // Asked only when the directory answered "not registered": not when it could not be reached.
      String older = version == null ? olderVersionServed(e, found, () -> client.notRegistered()
          ? client.registeredVersions(where, transport, procedure.program()) : List.of()) : null;
      String stronger = tls.strongerSecurityHint(e, client.authSys != null,
          () -> client.offersTls(called[0], transport, procedure.program(), procedure.version()));
      String stale = staleEntry(e, where, called[0]);
      if (older != null || stronger != null || stale != null) {
        error.put("message", e.getMessage() + (older != null ? older : "") + (stronger != null ? stronger : "")
            + (stale != null ? stale : ""));
      }
      out.println(Json.print(error));
      return ExitCodes.RPC_ERROR;
    } finally {
      out.flush();
    }
  }

  /**
   * The failure told when no entry is left to try after {@code last} at {@code at}: a call that
   * did not run at any entry is UNAVAILABLE and names them all; one that may have run at an entry
   * ({@code mayHaveRun}, an at-least-once call's TIMEOUT) keeps that status, never UNAVAILABLE.
   * Another status keeps its own fields (low..high, auth); standard error named the rest.
   */
  private static RpcException failure(RpcException last, SocketAddress at, Set<SocketAddress> tried,
      RpcException mayHaveRun) {
    if (tried.size() == 1) {
      return last;
    }
    String others = tried.stream().filter(a -> !a.equals(at)).map(CallCommand::printed)
        .collect(Collectors.joining(", ")) + (tried.size() == 2 ? ", the directory's other entry"
        : ", the directory's other entries");
    if (mayHaveRun != null && mayHaveRun != last) { // whatever came after, it may have run there
      return new RpcException(mayHaveRun.status(), mayHaveRun.getMessage() + ": it may have run there (then at "
          + printed(at) + ": " + last.getMessage() + (last.status() == RpcStatus.UNAVAILABLE
          ? ": the call did not run there)" : ")"), mayHaveRun);
    }
    // Every entry before the last: not run there.
    return last.status() != RpcStatus.UNAVAILABLE && mayHaveRun == null ? last : new RpcException(last.status(),
        last.getMessage() + " (nor at " + others + ": the call did not run)" + (tried.size() < MAX_ENTRIES_TRIED ? ""
            : "; onyx tried " + MAX_ENTRIES_TRIED + " of the directory's entries, as many as one call tries"), last);
  }

  /** What is left of the current call's --timeout (zero once it has passed). */
  private Duration left() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** What this entry may take of the current call's time left: its share among the entries left. */
  private Duration share() {
    Duration share = left().dividedBy(Math.max(1, entriesLeft));
    return share.compareTo(MIN_TRY) < 0 ? MIN_TRY : share;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Set<SocketAddress> withAddress(Set<SocketAddress> tried, SocketAddress address) {
    Set<SocketAddress> with = new HashSet<>(tried);
    with.add(address);
    return with;
  }

  /**
   * "; the directory at HOST:PORT has it registered there: …" when the call went where HOST's
   * directory said and could not be made there (nothing listens, or no route): the address is
   * the directory's entry, perhaps of a server killed before it withdrew it, which the operator
   * never typed. Null otherwise (a port or socket given, or the look-up itself failed).
   */
  private String staleEntry(RpcException e, Target where, SocketAddress called) {
    if (called == null || where.isUnixSocket() || where.port() != 0 || e.status() != RpcStatus.UNAVAILABLE
        || e.getCause() == null) {
      return null;
    }
    return ClientOptions.staleEntry(where.host() + ":" + client.rpcbindPort);
  }

  /**
   * " (Notes.add of version 3, the highest that has it; 1, 2 have it too: --program-version N
   * calls one)" when onyx chose among versions that have the procedure: arguments written for an
   * older version's types (a newcomer's first IDL change) are refused by the newest one's, and
   * the message named only the type. Null when only one version has it.
   */
  private String versionChosen(Services.Found found) {
    String name = found.procedure().name();
    List<String> others = found.service().versions().stream()
        .filter(v -> v != found.version() && v.procedures().stream().anyMatch(p -> p.name().equals(name)))
        .map(v -> Integer.toUnsignedString(v.number()))
        .toList();
    if (others.isEmpty()) {
      return null;
    }
    return " (" + found.service().name() + "." + name + " of version " + Integer.toUnsignedString(found.version().number())
        + ", the highest that has it; " + String.join(", ", others) + (others.size() == 1 ? " has" : " have")
        + " it too: --program-version N calls one)";
  }

  /**
   * What to add when onyx chose the version (the highest of the IDL with the procedure) and the
   * server, or the directory, has an older one that has it too, as for a server not yet updated to
   * the IDL's new version: the option that calls it. For a PROG_MISMATCH, the server's low..high;
   * for an UNAVAILABLE look-up, the versions the directory has (asked only then):
   * before, only a server called at its port got the option. Null otherwise.
   */
  private static String olderVersionServed(RpcException e, Services.Found found,
      Supplier<List<Integer>> registeredVersions) {
    LongPredicate served;
    String whose;
    if (e.status() == RpcStatus.PROG_MISMATCH) {
      long low = Integer.toUnsignedLong(e.low());
      long high = Integer.toUnsignedLong(e.high());
      served = v -> v >= low && v <= high;
      whose = "the server's";
    } else if (e.status() == RpcStatus.UNAVAILABLE) {
      List<Integer> registered = registeredVersions.get();
      served = v -> registered.stream().anyMatch(r -> Integer.toUnsignedLong(r) == v);
      whose = "the one registered";
    } else {
      return null;
    }
    String name = found.procedure().name();
    return found.service().versions().stream()
        .filter(v -> v.number() != found.version().number())
        .filter(v -> served.test(Integer.toUnsignedLong(v.number())))
        .filter(v -> v.procedures().stream().anyMatch(p -> p.name().equals(name)))
        .map(v -> Integer.toUnsignedLong(v.number()))
        .max(Long::compare)
        .map(v -> "; onyx call chose version " + Integer.toUnsignedString(found.version().number())
            + ", the highest of the IDL with " + name + ": --program-version " + v + " calls " + whose)
        .orElse(null);
  }

  private int repeat(RpcClient rpc, Procedure<byte[], Outcome> procedure, byte[] args, boolean oneway, PrintWriter out) {
    // A oneway call has no reply to read: it is sent once, and done when it is on the network.
    Procedure<byte[], Void> sendOnly = new Procedure<>(procedure.program(), procedure.version(),
        procedure.number(), procedure.name(), procedure.arguments(), XdrCodecs.VOID, CallSemantics.MAYBE);
    CallOptions options = CallOptions.DEFAULT.withSemantics(procedure.semantics());
    long[] nanos = this.nanos != null ? this.nanos : (this.nanos = new long[repeat]);
    // After a failover, on from the first call not made: those answered are not made twice.
    for (int i = made; i < repeat; i++) {
      long start = System.nanoTime();
      if (deadlineOf != i) { // a call after the first: its own --timeout from now
        deadline = start + client.timeout.toNanos();
        deadlineOf = i;
      }
      Outcome outcome = oneway ? null : rpc.call(procedure, args, options.withDeadline(share()));
      if (oneway) {
        try {
          rpc.send(sendOnly, args).join();
        } catch (CompletionException e) {
          throw e.getCause() instanceof RpcException r ? r : e;
        }
      }
      nanos[i] = System.nanoTime() - start;
      made = i + 1;
      if (outcome instanceof Outcome.Returned r && r.value() != null) {
        out.println(Json.print(r.value()));
      } else if (outcome instanceof Outcome.Threw t) {
        out.println(Json.print(Json.exception(t.exception(), t.fields())));
        summary(nanos, i + 1);
        return ExitCodes.DECLARED_EXCEPTION;
      }
    }
    summary(nanos, repeat);
    return ExitCodes.OK;
  }

  /** HOST:PORT ([IPv6]:PORT) as typed, or a Unix socket's path: not InetSocketAddress's "/1.2.3.4:5". */
  private static String printed(SocketAddress address) {
    if (address instanceof InetSocketAddress ip) {
      String host = ip.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ip.getPort();
    }
    return address.toString();
  }

  /** Prints {@code line} on standard error: how the call went, not its result. */
  private void err(String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }

  private void summary(long[] nanos, int calls) {
    if (repeat == 1) {
      return;
    }
    long[] done = Arrays.copyOf(nanos, calls);
    Arrays.sort(done);
    spec.commandLine().getErr().printf("%d calls: p50 %.1f µs, p99 %.1f µs, max %.1f µs%n", calls,
        done[calls / 2] / 1e3, done[Math.min(calls - 1, (int) (calls * 0.99))] / 1e3, done[calls - 1] / 1e3);
    spec.commandLine().getErr().flush();
  }
}
