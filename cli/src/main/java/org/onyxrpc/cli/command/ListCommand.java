package org.onyxrpc.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx list HOST[:PORT]|unix:PATH}: what {@code rpcinfo -p} and {@code -s} show, plus Onyx names and leases. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the programs registered with a host's directory (or rpcbind): one line per "
        + "program, version and transport, with the Onyx service name, the owner and the time "
        + "the lease has left.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:listed", "2:bad command line", "4:the directory could not be asked ({\"error\": …})"})
public final class ListCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public ListCommand() {}

  @Parameters(index = "0", paramLabel = "HOST[:PORT]|unix:PATH",
      description = "The host; PORT is its directory's (default: --rpcbind-port, 111). Or the directory's "
          + "Unix socket: unix:/run/rpcbind.sock is where rpcbind (and onyx directory --local-socket) answers.")
  String target;

  @Option(names = {"-s", "--short"}, description = "One line per program, its versions and transports joined, as rpcinfo -s.")
  boolean brief;

  @Option(names = "--json", description = "Print the entries as a JSON array.")
  boolean json;

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RpcbindQuery.Entry> entries;
    try (RpcClient rpc = directory(target, client)) {
      entries = RpcbindQuery.entries(rpc);
    } catch (RpcException e) {
      RpcException told = RpcbindQuery.explain(e, target, asked(target, client));
      if (told.status() == RpcStatus.SYSTEM_ERR && client.transport == Transport.UDP) {
        // An Onyx directory refuses another host's list over UDP that no entry of fits (it is no
        // amplifier), where it answered an empty one; rpcbind answers a larger one with nothing.
        told = new RpcException(RpcStatus.SYSTEM_ERR, told.getMessage() + "; over UDP a directory answers another"
            + " host no list larger than the call (it is no amplifier for forged sources): --transport tcp lists"
            + " them", told);
      }
      out.println(Json.print(Json.error(told)));
      out.flush();
      return ExitCodes.RPC_ERROR;
    }
    if (json) {
      out.println(Json.print(asJson(entries)));
    } else if (brief) {
      printShort(entries, out);
    } else {
      printLong(entries, out);
    }
    out.flush();
    String notKnown = RpcbindQuery.namesNotKnown(entries);
    if (notKnown != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("onyx list: " + notKnown);
      err.flush();
    }
    return ExitCodes.OK;
  }

  /** Where {@link #directory} asks: {@code unix:PATH}, or HOST:PORT with the rpcbind port for none. */
  static String asked(String target, ClientOptions client) {
    Target t = Target.parse(target);
    return t.isUnixSocket() ? t.toString()
        : new Target(t.host(), t.port() == 0 ? client.rpcbindPort : t.port(), null).toString();
  }

  /** A client of the directory that {@code target} names: HOST[:PORT] or unix:PATH. */
  static RpcClient directory(String target, ClientOptions client) {
    Target t = Target.parse(target);
    Transport transport = client.transport(t);
    if (transport == Transport.UNIX && !t.isUnixSocket()) {
      throw new BadCommandLine("--transport unix asks the directory at unix:PATH (rpcbind's is "
          + "unix:/run/rpcbind.sock), not at " + t);
    }
    SocketAddress address = t.isUnixSocket() ? t.socket()
        : new InetSocketAddress(t.host(), t.port() == 0 ? client.rpcbindPort : t.port());
    return client.directoryClient(address, transport);
  }

  private static void printLong(List<RpcbindQuery.Entry> entries, PrintWriter out) {
    Table table = new Table("program", "vers", "netid", "address", "owner", "lease", "name");
    for (RpcbindQuery.Entry e : entries) {
      ServiceInstance i = e.instance();
      table.add(Integer.toUnsignedString(i.program()), Integer.toUnsignedString(i.version()), i.netid(),
          hostPort(i), i.owner(), e.nameKnown() ? lease(e.leaseLeftMillis()) : RpcbindQuery.NOT_KNOWN, name(e));
    }
    table.print(out);
  }

  private static void printShort(List<RpcbindQuery.Entry> entries, PrintWriter out) {
    record Row(TreeSet<Long> versions, TreeSet<String> netids, TreeSet<String> names, String owner) {}
    Map<Integer, Row> rows = new LinkedHashMap<>();
    for (RpcbindQuery.Entry e : entries) {
      ServiceInstance i = e.instance();
      Row row = rows.computeIfAbsent(i.program(), p -> new Row(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), i.owner()));
      row.versions().add(Integer.toUnsignedLong(i.version()));
      row.netids().add(i.netid());
      if (!i.name().isEmpty() || !e.nameKnown()) {
        row.names().add(name(e));
      }
    }
    Table table = new Table("program", "version(s)", "netid(s)", "owner", "name");
    rows.forEach((program, row) -> table.add(Integer.toUnsignedString(program), join(row.versions()),
        join(row.netids()), row.owner(), row.names().isEmpty() ? "-" : join(row.names())));
    table.print(out);
  }

  private static ArrayNode asJson(List<RpcbindQuery.Entry> entries) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (RpcbindQuery.Entry e : entries) {
      put(e, array.addObject());
    }
    return array;
  }

  /** An entry's name as a list shows it: "-" for none, {@link RpcbindQuery#NOT_KNOWN} if not known. */
  static String name(RpcbindQuery.Entry e) {
    return !e.nameKnown() ? RpcbindQuery.NOT_KNOWN : e.instance().name().isEmpty() ? "-" : e.instance().name();
  }

  /** Puts an entry's fields into {@code o}, as {@code --json} prints them. */
  static ObjectNode put(RpcbindQuery.Entry e, ObjectNode o) {
    ServiceInstance i = e.instance();
    o.put("program", Integer.toUnsignedLong(i.program()));
    o.put("version", Integer.toUnsignedLong(i.version()));
    o.put("netid", i.netid());
    o.put("address", i.address());
    port(i).ifPresent(p -> o.put("port", p));
    o.put("owner", i.owner());
    if (!i.name().isEmpty()) {
      o.put("name", i.name());
    }
    if (e.leaseLeftMillis() != null) {
      o.put("leaseLeftMs", e.leaseLeftMillis());
    }
    if (!e.nameKnown()) {
      o.put("nameKnown", false); // past a full names listing: a name and lease may be left out
    }
    return o;
  }

  /** HOST:PORT of an entry's address, or the address as it is when it is not an IP one. */
  static String hostPort(ServiceInstance i) {
    try {
      InetSocketAddress a = i.socketAddress();
      String host = a.getAddress().getHostAddress();
      // 0:0:0:0:0:0:0:1 -> ::1, as people write IPv6 addresses
      return (host.indexOf(':') >= 0 ? "[" + host.replaceFirst("(^|:)(0(:|$)){2,}", "::") + "]" : host)
          + ":" + a.getPort();
    } catch (IllegalArgumentException e) {
      return i.address();
    }
  }

  private static java.util.Optional<Integer> port(ServiceInstance i) {
    try {
      return java.util.Optional.of(i.socketAddress().getPort());
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private static String lease(Long millis) {
    return millis == null ? "-" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private static String join(java.util.Collection<?> items) {
    return String.join(",", items.stream().map(String::valueOf).toList());
  }
}
