package org.onyxrpc.xdr;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written codecs for the types of {@code vectors.x}, written the way generated code writes
 * them: straight-line, on {@link XdrWriter} and {@link XdrReader}, bounds from the declarations.
 */
public final class VectorsX {
  private VectorsX() {}

  /** {@code const NAMELEN = 16;} */
  public static final int NAMELEN = 16;

  /** {@code enum color}. */
  public enum Color {
    RED(0), GREEN(1), BLUE(2), NEG(-5);

    final int value;

    Color(int value) {
      this.value = value;
    }

    static Color of(int value) {
      for (Color c : values()) {
        if (c.value == value) {
          return c;
        }
      }
      throw new XdrException("enum color has no value " + value);
    }
  }

  /** {@code struct point}. */
  public record Point(int x, int y) {}

  /** {@code struct node}: a linked list through {@code node *next}. */
  public record Node(int value, Node next) {
    /** The list of {@code values}, in order; null for none. */
    public static Node of(int... values) {
      Node head = null;
      for (int i = values.length - 1; i >= 0; i--) {
        head = new Node(values[i], head);
      }
      return head;
    }
  }

  /** {@code union result switch (color c)}. */
  public sealed interface Result {}

  /** {@code case RED: int code;} */
  public record Code(int code) implements Result {}

  /** {@code case GREEN: string msg<>;} */
  public record Msg(String msg) implements Result {}

  /** {@code case BLUE: void;} */
  public record Blue() implements Result {}

  /** {@code default: hyper big;} keeps the discriminant it came with. */
  public record Big(Color c, long big) implements Result {}

  /** {@code struct everything}. */
  public record Everything(
      int i, int u, long h, long uh, boolean b, float f, double d, Color c,
      Point p, List<Point> pts, int[] fixed3, byte[] bl, byte[] dg, String nm,
      Point maybe, Node list, Result r) {}

  public static final XdrCodec<Color> COLOR =
      XdrCodecs.of((out, c) -> out.writeEnum(c.value), in -> Color.of(in.readEnum()));

  public static final XdrCodec<Point> POINT = XdrCodecs.of(
      (out, p) -> {
        out.writeInt(p.x());
        out.writeInt(p.y());
      },
      in -> new Point(in.readInt(), in.readInt()));

  /** {@code typedef opaque blob<64>;} */
  public static final XdrCodec<byte[]> BLOB = XdrCodecs.opaque(64);

  /** {@code typedef opaque digest[5];} */
  public static final XdrCodec<byte[]> DIGEST = XdrCodecs.fixedOpaque(5);

  /** {@code typedef string name<NAMELEN>;} */
  public static final XdrCodec<String> NAME = XdrCodecs.string(NAMELEN);

  /**
   * {@code node *}: a loop rather than recursion, so a list as long as the message allows cannot
   * overflow the stack; each element costs at least 8 bytes, so its length is bounded too.
   */
  public static final XdrCodec<Node> NODE_LIST = XdrCodecs.of(
      (out, head) -> {
        for (Node n = head; n != null; n = n.next()) {
          out.writeOptionalFlag(true);
          out.writeInt(n.value());
        }
        out.writeOptionalFlag(false);
      },
      in -> {
        List<Integer> values = new ArrayList<>();
        while (in.readOptionalFlag()) {
          values.add(in.readInt());
        }
        Node head = null;
        for (int i = values.size() - 1; i >= 0; i--) {
          head = new Node(values.get(i), head);
        }
        return head;
      });

  public static final XdrCodec<Result> RESULT = XdrCodecs.of(
      (out, r) -> {
        if (r instanceof Code code) {
          out.writeEnum(Color.RED.value);
          out.writeInt(code.code());
        } else if (r instanceof Msg msg) {
          out.writeEnum(Color.GREEN.value);
          out.writeString(msg.msg(), Xdr.UNBOUNDED);
        } else if (r instanceof Big big) {
          out.writeEnum(big.c().value);
          out.writeHyper(big.big());
        } else {
          out.writeEnum(Color.BLUE.value);
        }
      },
      in -> {
        Color c = Color.of(in.readEnum());
        return switch (c) {
          case RED -> new Code(in.readInt());
          case GREEN -> new Msg(in.readString(Xdr.UNBOUNDED));
          case BLUE -> new Blue();
          default -> new Big(c, in.readHyper());
        };
      });

  private static final XdrCodec<List<Point>> POINTS = XdrCodecs.list(POINT, 4, 8);
  private static final XdrCodec<Point> MAYBE_POINT = XdrCodecs.optional(POINT);

  public static final XdrCodec<Everything> EVERYTHING = XdrCodecs.of(
      (out, e) -> {
        out.writeInt(e.i());
        out.writeUnsignedInt(e.u());
        out.writeHyper(e.h());
        out.writeUnsignedHyper(e.uh());
        out.writeBool(e.b());
        out.writeFloat(e.f());
        out.writeDouble(e.d());
        out.write(e.c(), COLOR);
        out.write(e.p(), POINT);
        out.write(e.pts(), POINTS);
        out.checkFixedArray(e.fixed3().length, 3);
        for (int x : e.fixed3()) {
          out.writeInt(x);
        }
        out.write(e.bl(), BLOB);
        out.write(e.dg(), DIGEST);
        out.write(e.nm(), NAME);
        out.write(e.maybe(), MAYBE_POINT);
        out.write(e.list(), NODE_LIST);
        out.write(e.r(), RESULT);
      },
      in -> {
        int i = in.readInt();
        int u = in.readUnsignedInt();
        long h = in.readHyper();
        long uh = in.readUnsignedHyper();
        boolean b = in.readBool();
        float f = in.readFloat();
        double d = in.readDouble();
        Color c = in.read(COLOR);
        Point p = in.read(POINT);
        List<Point> pts = in.read(POINTS);
        in.checkFixedArray(3, 4);
        int[] fixed3 = {in.readInt(), in.readInt(), in.readInt()};
        byte[] bl = in.read(BLOB);
        byte[] dg = in.read(DIGEST);
        String nm = in.read(NAME);
        Point maybe = in.read(MAYBE_POINT);
        Node list = in.read(NODE_LIST);
        Result r = in.read(RESULT);
        return new Everything(i, u, h, uh, b, f, d, c, p, pts, fixed3, bl, dg, nm, maybe, list, r);
      });
}
