package org.onyxrpc.interop;

import static org.onyxrpc.interop.InteropProgram.ADD3;
import static org.onyxrpc.interop.InteropProgram.GREET;
import static org.onyxrpc.interop.InteropProgram.MORPH;
import static org.onyxrpc.interop.InteropProgram.NEXT_COLOR;
import static org.onyxrpc.interop.InteropProgram.NULL;
import static org.onyxrpc.interop.InteropProgram.REVERSE;
import static org.onyxrpc.interop.InteropProgram.TRANSFORM;
import static org.onyxrpc.interop.InteropProgram.WHOAMI;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.onyxrpc.interop.InteropTypes.Add3Args;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.interop.InteropTypes.Node;
import org.onyxrpc.interop.InteropTypes.Outcome;
import org.onyxrpc.interop.InteropTypes.Point;
import org.onyxrpc.interop.InteropTypes.Profile;
import org.onyxrpc.interop.InteropTypes.Shape;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;

/**
 * The Java twin of {@code calls()} in interop_client.c: the same calls with the same arguments,
 * printed in the same text, so an Onyx client's transcript can be compared with
 * expected-calls.txt exactly as the C client's is.
 */
final class CallScript {
  /** Makes one call; an Onyx client's {@code call} method fits. */
  interface Caller {
    <A, R> R call(Procedure<A, R> procedure, A arguments);
  }

  /** The AUTH_SYS credentials of the script's second half, as in interop_client.c. */
  static final AuthSys AUTH_SYS = new AuthSys(0, "interop-host", 1234, 5678, new int[] {7, 8});

  private final Caller anonymous;
  private final Caller authenticated;
  private Caller caller;
  private final StringBuilder out = new StringBuilder();

  private CallScript(Caller anonymous, Caller authenticated) {
    this.anonymous = anonymous;
    this.authenticated = authenticated;
  }

  /**
   * Makes every call of the script and returns the transcript: the first calls through {@code
   * anonymous}, which must send AUTH_NONE, the rest through {@code authenticated}, which must send
   * {@link #AUTH_SYS}.
   */
  static String run(Caller anonymous, Caller authenticated) {
    CallScript script = new CallScript(anonymous, authenticated);
    script.calls();
    return script.out.toString();
  }

  /** The profile every TRANSFORM starts from, as sample() in interop_client.c builds it. */
  static Profile sample() {
    return new Profile("grüße", Color.RED, true, 0xfffffffe, 0xfffffffffffffffeL, 0.75,
        new int[] {1, 2, 3}, new int[] {10, -20, 30}, new byte[] {1, 2, (byte) 0xff},
        new byte[] {1, 2, 3, 4, 5}, new Point(1, -2), sampleList(), new Shape.Red(5));
  }

  static Node sampleList() {
    return new Node("one", 1, new Node("three", -2, new Node("eleven", 1L << 40, null)));
  }

  /** As long_reverse_call() in interop_client.c: many TCP fragments, one UDP datagram. */
  static Node longList() {
    Node list = null;
    for (int i = 299; i >= 0; i--) {
      list = new Node("n" + i, i, list);
    }
    return list;
  }

  private void calls() {
    caller = anonymous;
    line("NULL", NULL, null, v -> "ok");
    for (Color c : Color.values()) {
      line("NEXT_COLOR(" + c + ")", NEXT_COLOR, c, Color::name);
    }
    line("ADD3(-5, 1099511627776, 4000000000)", ADD3, new Add3Args(-5, 1L << 40, (int) 4000000000L),
        String::valueOf);
    line("REVERSE(list(one=1, three=-2, eleven=1099511627776))", REVERSE, sampleList(),
        CallScript::list);
    line("REVERSE(list())", REVERSE, null, CallScript::list);
    line("REVERSE(list(n0=0, ..., n299=299))", REVERSE, longList(), CallScript::summary);
    line("MORPH(RED(5))", MORPH, new Shape.Red(5), CallScript::shape);
    line("MORPH(GREEN((1,2),(3,4)))", MORPH,
        new Shape.Green(List.of(new Point(1, 2), new Point(3, 4))), CallScript::shape);
    line("MORPH(BLUE)", MORPH, new Shape.Blue(), CallScript::shape);
    line("GREET(\"wörld\")", GREET, "wörld", s -> '"' + s + '"');
    line("GREET(\"ßßßßßßßß\")", GREET, "ßßßßßßßß", s -> '"' + s + '"'); // 16 bytes: name<16>'s bound

    line("WHOAMI", WHOAMI, null, s -> '"' + s + '"');
    caller = authenticated;
    line("WHOAMI as interop-host", WHOAMI, null, s -> '"' + s + '"');

    Profile p = sample();
    line("TRANSFORM(sample)", TRANSFORM, p, CallScript::outcome);
    Profile untitled = new Profile("", p.tint(), p.flag(), p.count(), p.big(), p.ratio(),
        p.fixed(), p.values(), p.tag(), p.blob(), p.origin(), p.items(), p.form());
    line("TRANSFORM(sample, title \"\")", TRANSFORM, untitled, CallScript::outcome);
    Profile full = new Profile(p.title(), p.tint(), p.flag(), p.count(), p.big(), p.ratio(),
        p.fixed(), new int[] {0, 1, 2, 3, 4, 5, 6, 7}, p.tag(), p.blob(), p.origin(), p.items(),
        p.form());
    line("TRANSFORM(sample, 8 values)", TRANSFORM, full, CallScript::outcome);
  }

  /** One call and its result; a failure is printed in place so the transcript shows them all. */
  private <A, R> void line(
      String call, Procedure<A, R> procedure, A args, Function<R, String> show) {
    String result;
    try {
      result = show.apply(caller.call(procedure, args));
    } catch (RpcException e) {
      result = "FAILED " + e;
    }
    out.append(call).append(" -> ").append(result).append('\n');
  }

  static String list(Node list) {
    StringBuilder s = new StringBuilder("list(");
    for (Node n = list; n != null; n = n.next()) {
      s.append(n == list ? "" : ", ").append(n.label()).append('=').append(n.value());
    }
    return s.append(')').toString();
  }

  static String summary(Node list) {
    long count = 0;
    long sum = 0;
    Node last = list;
    for (Node n = list; n != null; n = n.next()) {
      count++;
      sum += n.value();
      last = n;
    }
    return count + " nodes from " + list.label() + "=" + list.value() + " to " + last.label() + "="
        + last.value() + ", sum " + sum;
  }

  static String shape(Shape shape) {
    if (shape instanceof Shape.Red red) {
      return "RED(" + red.radius() + ")";
    }
    if (shape instanceof Shape.Green green) {
      Point a = green.corners().get(0);
      Point b = green.corners().get(1);
      return "GREEN((" + a.x() + "," + a.y() + "),(" + b.x() + "," + b.y() + "))";
    }
    return "BLUE";
  }

  /** As print_outcome() in interop_client.c: a profile takes one line per field. */
  static String outcome(Outcome outcome) {
    if (outcome instanceof Outcome.Failure failure) {
      return "error " + failure.status() + " \"" + failure.error() + "\"";
    }
    Profile p = ((Outcome.Value) outcome).profile();
    return "profile\n"
        + "  title = \"" + p.title() + "\"\n"
        + "  tint = " + p.tint() + "\n"
        + "  flag = " + p.flag() + "\n"
        + "  count = " + Integer.toUnsignedString(p.count()) + "\n"
        + "  big = " + Long.toUnsignedString(p.big()) + "\n"
        + "  ratio = " + String.format(Locale.ROOT, "%.3f", p.ratio()) + "\n"
        + "  fixed = " + ints(p.fixed()) + "\n"
        + "  values = " + ints(p.values()) + "\n"
        + "  tag = " + hex(p.tag()) + "\n"
        + "  blob = " + hex(p.blob()) + "\n"
        + "  origin = (" + p.origin().x() + "," + p.origin().y() + ")\n"
        + "  items = " + list(p.items()) + "\n"
        + "  form = " + shape(p.form());
  }

  private static String ints(int[] values) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return s.append(']').toString();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder("0x");
    for (byte b : bytes) {
      s.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return s.toString();
  }
}
