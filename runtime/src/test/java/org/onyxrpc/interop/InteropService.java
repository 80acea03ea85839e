package org.onyxrpc.interop;

import static org.onyxrpc.interop.InteropProgram.ADD3;
import static org.onyxrpc.interop.InteropProgram.COUNT_RUNS;
import static org.onyxrpc.interop.InteropProgram.GREET;
import static org.onyxrpc.interop.InteropProgram.MORPH;
import static org.onyxrpc.interop.InteropProgram.NEXT_COLOR;
import static org.onyxrpc.interop.InteropProgram.REVERSE;
import static org.onyxrpc.interop.InteropProgram.TRANSFORM;
import static org.onyxrpc.interop.InteropProgram.WHOAMI;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.interop.InteropTypes.Node;
import org.onyxrpc.interop.InteropTypes.Outcome;
import org.onyxrpc.interop.InteropTypes.Point;
import org.onyxrpc.interop.InteropTypes.Profile;
import org.onyxrpc.interop.InteropTypes.Shape;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.ProcedureHandler;
import org.onyxrpc.server.ServiceDefinition;

/**
 * The procedures of interop.x in Java, hosted by an Onyx server for the C client to call: the
 * same rules as {@code src/test/c/interop/interop_impl.c}, which the C server runs. Because both
 * follow one set of rules, the C client prints the same text whichever server it talks to.
 */
final class InteropService {
  private InteropService() {}

  /** The hand-written skeleton: what a generated {@code bind} method will produce. */
  static ServiceDefinition definition() {
    return definition((who, ctx) -> greet(who));
  }

  /** {@link #definition()} with GREET answered by {@code greeter} instead. */
  static ServiceDefinition definition(ProcedureHandler<String, String> greeter) {
    AtomicInteger runs = new AtomicInteger();
    return ServiceDefinition.builder(InteropProgram.PROGRAM, InteropProgram.VERSION)
        .procedure(TRANSFORM, (profile, ctx) -> transform(profile))
        .procedure(ADD3, (args, ctx) -> args.a() + args.b() + Integer.toUnsignedLong(args.c()))
        .procedure(REVERSE, (list, ctx) -> reversed(list))
        .procedure(MORPH, (shape, ctx) -> morphed(shape))
        .procedure(NEXT_COLOR, (color, ctx) -> next(color))
        .procedure(GREET, greeter)
        .procedure(WHOAMI, (none, ctx) -> whoami(ctx.credentials()))
        .procedure(COUNT_RUNS, (delayMs, ctx) -> {
          Thread.sleep(Integer.toUnsignedLong(delayMs)); // the slow procedure the C peer asks for
          return runs.incrementAndGet();
        })
        .build();
  }

  static Outcome transform(Profile in) {
    if (in.title().isEmpty()) {
      return new Outcome.Failure(1, "empty title");
    }
    if (in.values().length >= InteropTypes.MAX_VALUES) {
      return new Outcome.Failure(2, "values full");
    }
    int[] fixed = {in.fixed()[2], in.fixed()[1], in.fixed()[0]};
    int[] values = Arrays.copyOf(in.values(), in.values().length + 1);
    values[values.length - 1] = Arrays.stream(in.values()).sum();
    byte[] tag = in.tag().clone();
    for (int i = 0; i < tag.length; i++) {
      tag[i]++;
    }
    byte[] blob = new byte[in.blob().length];
    for (int i = 0; i < blob.length; i++) {
      blob[i] = in.blob()[blob.length - 1 - i];
    }
    return new Outcome.Value(new Profile(
        asciiUpper(in.title()),
        next(in.tint()),
        !in.flag(),
        in.count() + 1,
        in.big() + 1,
        in.ratio() * 2,
        fixed,
        values,
        tag,
        blob,
        new Point(in.origin().y(), in.origin().x()),
        reversed(in.items()),
        morphed(in.form())));
  }

  static Node reversed(Node list) {
    Node out = null;
    for (Node n = list; n != null; n = n.next()) {
      out = new Node(asciiUpper(n.label()), n.value() * 2, out);
    }
    return out;
  }

  static Shape morphed(Shape shape) {
    if (shape instanceof Shape.Red red) {
      int r = red.radius();
      return new Shape.Green(List.of(new Point(-r, -r), new Point(r, r)));
    }
    return shape instanceof Shape.Green ? new Shape.Blue() : new Shape.Red(7);
  }

  static Color next(Color color) {
    return switch (color) {
      case RED -> Color.GREEN;
      case GREEN -> Color.BLUE;
      case BLUE -> Color.RED;
    };
  }

  static String greet(String who) {
    if (who.equals("crash")) {
      throw new IllegalStateException("asked to crash"); // the server must answer SYSTEM_ERR
    }
    return "hello, " + who;
  }

  static String whoami(Credentials credentials) {
    if (credentials instanceof AuthSys sys) {
      StringBuilder gids = new StringBuilder();
      for (int gid : sys.gids()) {
        gids.append(gids.length() == 0 ? "" : ", ").append(Integer.toUnsignedString(gid));
      }
      return "AUTH_SYS machine=" + sys.machineName() + " uid=" + Integer.toUnsignedString(sys.uid())
          + " gid=" + Integer.toUnsignedString(sys.gid()) + " gids=[" + gids + "]";
    }
    return credentials == Credentials.NONE
        ? "AUTH_NONE"
        : "flavor " + credentials.toOpaqueAuth().flavor();
  }

  /** Upper-cases ASCII letters only, as the C side does byte by byte. */
  private static String asciiUpper(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
    }
    return out.toString();
  }
}
