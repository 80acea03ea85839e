package org.onyxrpc.examples.cpeers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;

/**
 * The procedures of cpeers.x, versions 1 and 3, in Java. The rules are implemented twice, here
 * and in src/test/c/cpeers/cpeers_impl.c, and must stay the same: a C client's transcript is the
 * same against either server, and an Onyx client gets from the C server what this class returns.
 */
final class CPeersService implements CpeersProgV1.CpeersProg, CpeersProgV3.CpeersProg {
  /** The pair swapped, the items reversed, the cells negated, each item and the verdict changed. */
  @Override
  public Bundle echo(Bundle in) {
    List<Item> items = new ArrayList<>(in.items().stream().map(CPeersService::changed).toList());
    Collections.reverse(items);
    return new Bundle(List.of(changed(in.pair().get(1)), changed(in.pair().get(0))), items,
        negated(in.cells()), changed(in.v()));
  }

  /** LOW: the code n; HIGH: an item made of name and n; any other level: the default arm. */
  @Override
  public Verdict judge(Level level, int n, String name) {
    return switch (level) {
      case LEVEL_LOW -> new Verdict.Code(n);
      case LEVEL_HIGH -> new Verdict.Best(new Item(name, Level.LEVEL_HIGH, n > 0, n, n,
          (float) n / 2, (double) n / 4, new byte[] {1, 2, 3, 4, 5}));
      default -> new Verdict.Why(level, name);
    };
  }

  /** The caller's credential, worded as cpeers_impl.c words it. */
  @Override
  public String who() {
    Credentials credentials = CallContext.current().orElseThrow().credentials();
    if (credentials instanceof AuthSys sys) {
      return "AUTH_SYS machine=" + sys.machineName() + " uid=" + Integer.toUnsignedString(sys.uid())
          + " gid=" + Integer.toUnsignedString(sys.gid()) + " gids=["
          + Arrays.stream(sys.gids()).mapToObj(Integer::toUnsignedString)
              .collect(Collectors.joining(", "))
          + "]";
    }
    return credentials == Credentials.NONE ? "AUTH_NONE"
        : "flavor " + credentials.toOpaqueAuth().flavor();
  }

  /** n bytes, byte i being i % 251. */
  @Override
  public byte[] fill(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  @Override
  public String shout(String name) {
    return upper(name);
  }

  @Override
  public long sum(Cell cells) {
    long sum = 0;
    for (Cell c = cells; c != null; c = c.next()) {
      sum += c.value();
    }
    return sum;
  }

  /** ASCII letters only, as C's loop does: "grüße" becomes "GRüßE". */
  private static String upper(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
    }
    return out.toString();
  }

  /** Name upper-cased, level advanced, flag flipped, bits inverted, float negated, double doubled, digest reversed. */
  private static Item changed(Item in) {
    byte[] digest = new byte[5];
    for (int i = 0; i < 5; i++) {
      digest[i] = in.digest()[4 - i];
    }
    Level next = switch (in.lvl()) {
      case LEVEL_LOW -> Level.LEVEL_MID;
      case LEVEL_MID -> Level.LEVEL_HIGH;
      case LEVEL_HIGH -> Level.LEVEL_LOW;
    };
    return new Item(upper(in.name()), next, !in.on(), ~in.h(), ~in.uh(), -in.f(), in.d() * 2, digest);
  }

  private static Verdict changed(Verdict in) {
    if (in instanceof Verdict.Code code) {
      return new Verdict.Code(code.code() + 1);
    } else if (in instanceof Verdict.Best best) {
      return new Verdict.Best(changed(best.best()));
    }
    Verdict.Why why = (Verdict.Why) in;
    return new Verdict.Why(why.lvl(), upper(why.why()));
  }

  private static Cell negated(Cell cells) {
    List<Integer> values = new ArrayList<>();
    for (Cell c = cells; c != null; c = c.next()) {
      values.add(-c.value());
    }
    Cell out = null;
    for (int i = values.size() - 1; i >= 0; i--) {
      out = new Cell(values.get(i), out);
    }
    return out;
  }
}
