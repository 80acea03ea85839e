package org.onyxrpc.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.RpcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code onyx watch HOST[:PORT]|unix:PATH}: a host's directory entries as they come and go. The
 * directory has no way to tell a client of changes (rpcbind has none), so it is asked again
 * every interval and the answers compared.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Watches the programs registered with a host's directory (or rpcbind): prints those "
        + "there, each as registered (+, \"registered\" in --json: the first look cannot tell an old entry "
        + "from a new one), then each one registered (+) and each one gone (-: unregistered, or its lease "
        + "ran out) as the directory is asked again every --interval, until interrupted (Ctrl-C).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:watched --count times",
        "2:bad command line", "4:the directory could not be asked the first time ({\"error\": …})",
        "130:interrupted (Ctrl-C)", "143:stopped by SIGTERM"})
public final class WatchCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public WatchCommand() {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Parameters(index = "0", paramLabel = "HOST[:PORT]|unix:PATH",
      description = "The host; PORT is its directory's (default: --rpcbind-port, 111). Or the directory's "
          + "Unix socket, as for onyx list.")
  String target;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often the directory is asked (default: ${DEFAULT-VALUE}; 500ms, 10s, 1m).")
  Duration interval;

  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
      description = "Stop after asking N times (default: never).")
  int count;

  @Option(names = "--json", description = "One JSON object per line and change: {\"event\": "
      + "\"registered\"|\"gone\"|\"unreachable\"|\"reachable\", \"time\": an ISO-8601 instant in UTC "
      + "(2026-12-04T12:42:55.123Z), and the entry's fields as onyx list --json, or \"message\"}.")
  boolean json;

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (count < 0) {
      throw new BadCommandLine("--count must be 0 (never stop) or more, got " + count);
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<ServiceInstance.Key, RpcbindQuery.Entry> known = null;
    boolean unreachable = false;
    try (RpcClient rpc = ListCommand.directory(target, client)) {
      for (int asked = 1; count == 0 || asked <= count; asked++) {
        if (asked > 1) {
          Thread.sleep(interval.toMillis());
        }
        List<RpcbindQuery.Entry> entries;
        try {
          entries = RpcbindQuery.entries(rpc);
        } catch (RpcException e) {
          if (known == null) {
            out.println(Json.print(Json.error(RpcbindQuery.explain(e, target, ListCommand.asked(target, client)))));
            out.flush();
            return ExitCodes.RPC_ERROR;
          }
          if (!unreachable) {
            unreachable = true;
            reachability(out, "unreachable", e.getMessage());
          }
          continue;
        }
        if (unreachable) {
          unreachable = false;
          reachability(out, "reachable", "the directory answers again");
        }
        known = changes(known == null ? Map.of() : known, entries, out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // asked to stop: what was seen is printed
    }
    return ExitCodes.OK;
  }

  /** Prints what is in {@code now} and not in {@code before}, then the reverse; returns {@code now}. */
  private Map<ServiceInstance.Key, RpcbindQuery.Entry> changes(Map<ServiceInstance.Key, RpcbindQuery.Entry> before,
      List<RpcbindQuery.Entry> now, PrintWriter out) {
    Map<ServiceInstance.Key, RpcbindQuery.Entry> seen = new LinkedHashMap<>();
    for (RpcbindQuery.Entry e : now) {
      seen.put(e.instance().key(), e);
      if (!before.containsKey(e.instance().key())) {
        change(out, '+', "registered", e);
      }
    }
    for (RpcbindQuery.Entry e : before.values()) {
      if (!seen.containsKey(e.instance().key())) {
        change(out, '-', "gone", e);
      }
    }
    out.flush();
    return seen;
  }

  private void change(PrintWriter out, char sign, String event, RpcbindQuery.Entry e) {
    if (json) {
      ObjectNode o = Json.MAPPER.createObjectNode().put("event", event).put("time", jsonTime());
      out.println(Json.printLine(ListCommand.put(e, o)));
      return;
    }
    String time = LocalTime.now().format(TIME);
    ServiceInstance i = e.instance();
    // The registrant chose the netid, address, owner and name: escaped, one change one line.
    out.println(time + " " + sign + " " + Integer.toUnsignedString(i.program()) + " "
        + Integer.toUnsignedString(i.version()) + " " + RateLimitedLog.escaped(i.netid() + " "
        + ListCommand.hostPort(i) + " " + (i.owner().isEmpty() ? "-" : i.owner()) + " "
        + ListCommand.name(e)));
  }

  private void reachability(PrintWriter out, String event, String message) {
    if (json) {
      out.println(Json.printLine(Json.MAPPER.createObjectNode().put("event", event).put("time", jsonTime())
          .put("message", message)));
    } else {
      out.println(LocalTime.now().format(TIME) + " ! " + RateLimitedLog.escaped(message));
    }
    out.flush();
  }

  /**
   * When a JSON line's event was seen: an ISO-8601 instant in UTC, to the millisecond (a whole
   * second without its fraction, as {@link Instant#toString()} writes it). The text
   * lines' local HH:mm:ss is for a person at the terminal; a program reading the JSON needs the
   * date and the zone too, to order events across midnight or hosts.
   */
  private static String jsonTime() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
