package org.onyxrpc.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.MessageQueueException;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.QueueServer;
import org.onyxrpc.mq.QueueStats;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onyx mq list HOST[:PORT]|unix:PATH}: a queue server's queues, as {@code ls /dev/mqueue} lists Linux's. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the queues of a queue server (onyx mq): their names, one a line, as ls /dev/mqueue "
        + "lists Linux's (every name, whoever asks); with --stats, a table of their numbers, where the caller "
        + "(--auth-sys) may read the queue.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:listed", "2:bad command line", "4:the server could not be asked ({\"error\": …})"})
public final class MqListCommand implements Callable<Integer> {
  /** Picocli makes one per run, sets its options from the command line, then calls it. */
  public MqListCommand() {}

  @Parameters(index = "0", paramLabel = "HOST[:PORT]|unix:PATH",
      description = "The queue server: HOST:PORT, HOST alone to ask its directory (--rpcbind-port) where the "
          + "queue service listens, or unix:PATH for its Unix socket.")
  String target;

  @Option(names = "--stats", description = "Also each queue's numbers (depth, bytes, waiting calls, "
      + "attributes); a queue the caller may not read says EACCES.")
  boolean stats;

  @Option(names = "--json", description = "Print a JSON array: the names, or with --stats one object a queue.")
  boolean json;

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Target t = Target.parse(target);
    Transport transport = client.transport(t);
    if (transport == Transport.UDP) {
      throw new BadCommandLine("the queue service takes no UDP calls: give --transport tcp or unix");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (RpcClient rpc = client.client(
        client.resolve(t, transport, QueueServer.PROGRAM, QueueServer.VERSION), transport, null)) {
      List<String> names = MessageQueues.list(rpc);
      if (stats) {
        printStats(rpc, names, out);
      } else if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        names.forEach(array::add);
        out.println(Json.print(array));
      } else {
        names.forEach(n -> out.println(shown(n)));
      }
      return ExitCodes.OK;
    } catch (RpcException e) {
      // A directory's HOST:PORT, as an operator gives onyx list: say so, as call and ping do.
      RpcException atDirectory = client.notAtDirectory(e, t, transport, QueueServer.PROGRAM);
      out.println(Json.print(Json.error(atDirectory != e ? atDirectory : noQueueServer(e, t))));
      return ExitCodes.RPC_ERROR;
    } catch (MessageQueueException e) {
      out.println(Json.print(mqError(e)));
      return ExitCodes.RPC_ERROR;
    } finally {
      out.flush();
    }
  }

  /**
   * A server without the queue service, in the words of onyx mq: its program number alone told a
   * user who started no such program nothing. A directory's port is told by notAtDirectory.
   */
  private static RpcException noQueueServer(RpcException e, Target t) {
    if (e.status() != RpcStatus.PROG_UNAVAIL) {
      return e;
    }
    String what = t.isUnixSocket() ? "the Unix socket a queue server listens on"
        : "the port onyx mq printed ('onyx mq on port N')";
    return new RpcException(RpcStatus.PROG_UNAVAIL, "no queue server (onyx mq) at " + t + ": the server there does"
        + " not serve program 0x" + Integer.toHexString(QueueServer.PROGRAM) + "; give " + what
        + ", or the host alone to ask its directory where the queue service listens (" + e.getMessage() + ")");
  }

  /** Each queue's numbers, or why not (EACCES; ENOENT for one unlinked since it was listed). */
  private void printStats(RpcClient rpc, List<String> names, PrintWriter out) {
    Table table = new Table("name", "depth", "bytes", "reserved", "senders", "receivers", "handles",
        "maxmsg", "msgsize", "durable", "notify");
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (String name : names) {
      ObjectNode o = array.addObject();
      o.put("name", name);
      try {
        QueueStats s = MessageQueues.stats(rpc, name);
        o.put("depth", s.depth()).put("bytes", s.bytes()).put("reserved", s.reserved())
            .put("waitingSenders", s.waitingSenders()).put("waitingReceivers", s.waitingReceivers())
            .put("openHandles", s.openHandles()).put("maxMessages", s.maxMessages())
            .put("messageSize", s.messageSize()).put("durable", s.durable())
            .put("notifying", s.notifying());
        table.add(shown(name), Long.toString(s.depth()), Long.toString(s.bytes()),
            Long.toString(s.reserved()), Integer.toString(s.waitingSenders()),
            Integer.toString(s.waitingReceivers()), Integer.toString(s.openHandles()),
            Long.toString(s.maxMessages()), Long.toString(s.messageSize()), s.durable() ? "yes" : "no",
            s.notifying() ? "yes" : "no");
      } catch (MessageQueueException e) {
        o.put("error", e.error().name());
        table.add(shown(name), e.error().name(), "", "", "", "", "", "", "", "", "");
      }
    }
    if (json) {
      out.println(Json.print(array));
    } else {
      table.print(out);
    }
  }

  /**
   * A name as a line shows it: a server's (or another client's) words, so control characters are
   * escaped ({@code \x0a}), and a backslash is doubled, as {@code ls -b} does, or "/x" LF "fake" and
   * the name "/x\x0afake" were shown alike and an operator could not tell which queue was which.
   * Invisible format characters (a zero-width space, a right-to-left override) are shown as a
   * backslash, u and four hex digits: else "/ord", a zero-width space and "ers" looked like "/orders".
   */
  static String shown(String name) {
    StringBuilder b = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      if (c == '\\') {
        b.append("\\\\");
      } else if (Character.getType(c) == Character.FORMAT) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return RateLimitedLog.escaped(b.toString());
  }

  private static ObjectNode mqError(MessageQueueException e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("error", e.error().name());
    o.put("message", e.getMessage());
    return o;
  }
}
