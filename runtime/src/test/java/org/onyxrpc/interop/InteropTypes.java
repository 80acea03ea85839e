package org.onyxrpc.interop;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.xdr.Xdr;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The types of {@code src/test/c/interop/interop.x} with codecs written by hand, as the IDL
 * compiler will generate them: one record, enum or sealed interface per XDR type, each with a
 * static {@code CODEC} of straight-line reads and writes. rpcgen generates the C side of the same
 * file, so any disagreement between these codecs and RFC 4506 shows up as an interop failure.
 */
final class InteropTypes {
  /** {@code const MAX_NAME}. */
  static final int MAX_NAME = 16;
  /** {@code const MAX_VALUES}. */
  static final int MAX_VALUES = 8;

  private InteropTypes() {}

  /** {@code enum color}; an undeclared value on the wire is malformed. */
  enum Color {
    RED(1),
    GREEN(2),
    BLUE(4);

    static final XdrCodec<Color> CODEC =
        XdrCodecs.of((out, c) -> out.writeEnum(c.value), in -> of(in.readEnum()));

    final int value;

    Color(int value) {
      this.value = value;
    }

    static Color of(int value) {
      return switch (value) {
        case 1 -> RED;
        case 2 -> GREEN;
        case 4 -> BLUE;
        default -> throw new XdrException("color has no value " + value);
      };
    }
  }

  /** {@code struct point}. */
  record Point(int x, int y) {
    static final XdrCodec<Point> CODEC = XdrCodecs.of(
        (out, p) -> {
          out.writeInt(p.x);
          out.writeInt(p.y);
        },
        in -> new Point(in.readInt(), in.readInt()));
  }

  /**
   * {@code struct node}: a list through optional data. The codec walks the list in a loop, not by
   * recursion, so a long list cannot overflow the stack.
   */
  record Node(String label, long value, Node next) {
    static final XdrCodec<Node> CODEC = new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, Node node) {
        for (Node n = node; n != null; n = n.next) {
          out.writeString(n.label, MAX_NAME);
          out.writeHyper(n.value);
          out.writeOptionalFlag(n.next != null);
        }
      }

      @Override
      public Node decode(XdrReader in) {
        List<String> labels = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        do {
          labels.add(in.readString(MAX_NAME));
          values.add(in.readHyper());
        } while (in.readOptionalFlag());
        Node head = null;
        for (int i = labels.size() - 1; i >= 0; i--) {
          head = new Node(labels.get(i), values.get(i), head);
        }
        return head;
      }
    };

    /** {@code typedef node *list}: null is the empty list. */
    static final XdrCodec<Node> LIST = XdrCodecs.optional(CODEC);
  }

  /** {@code union shape switch (color kind)}: one record per arm. */
  sealed interface Shape {
    /** {@code case RED: int radius}. */
    record Red(int radius) implements Shape {}

    /** {@code case GREEN: point corners[2]}. */
    record Green(List<Point> corners) implements Shape {
      public Green {
        corners = List.copyOf(corners);
      }
    }

    /** {@code case BLUE: void}. */
    record Blue() implements Shape {}

    XdrCodec<Shape> CODEC = XdrCodecs.of(Shape::encode, Shape::decode);

    private static void encode(XdrWriter out, Shape shape) {
      if (shape instanceof Red red) {
        out.writeEnum(Color.RED.value);
        out.writeInt(red.radius());
      } else if (shape instanceof Green green) {
        out.writeEnum(Color.GREEN.value);
        out.checkFixedArray(green.corners().size(), 2);
        for (Point corner : green.corners()) {
          Point.CODEC.encode(out, corner);
        }
      } else {
        out.writeEnum(Color.BLUE.value);
      }
    }

    private static Shape decode(XdrReader in) {
      return switch (Color.CODEC.decode(in)) {
        case RED -> new Red(in.readInt());
        case GREEN -> {
          in.checkFixedArray(2, 8);
          yield new Green(List.of(Point.CODEC.decode(in), Point.CODEC.decode(in)));
        }
        case BLUE -> new Blue();
      };
    }
  }

  /** {@code struct profile}; unsigned fields keep their bits in the signed Java type. */
  record Profile(
      String title,
      Color tint,
      boolean flag,
      int count,
      long big,
      double ratio,
      int[] fixed,
      int[] values,
      byte[] tag,
      byte[] blob,
      Point origin,
      Node items,
      Shape form) {

    static final XdrCodec<Profile> CODEC = XdrCodecs.of(Profile::encode, Profile::decode);

    private static void encode(XdrWriter out, Profile p) {
      out.writeString(p.title, MAX_NAME);
      Color.CODEC.encode(out, p.tint);
      out.writeBool(p.flag);
      out.writeUnsignedInt(p.count);
      out.writeUnsignedHyper(p.big);
      out.writeDouble(p.ratio);
      out.checkFixedArray(p.fixed.length, 3);
      for (int v : p.fixed) {
        out.writeInt(v);
      }
      out.writeArrayLength(p.values.length, MAX_VALUES);
      for (int v : p.values) {
        out.writeInt(v);
      }
      out.writeFixedOpaque(p.tag, 3);
      out.writeOpaque(p.blob, MAX_VALUES);
      Point.CODEC.encode(out, p.origin);
      Node.LIST.encode(out, p.items);
      Shape.CODEC.encode(out, p.form);
    }

    private static Profile decode(XdrReader in) {
      String title = in.readString(MAX_NAME);
      Color tint = Color.CODEC.decode(in);
      boolean flag = in.readBool();
      int count = in.readUnsignedInt();
      long big = in.readUnsignedHyper();
      double ratio = in.readDouble();
      in.checkFixedArray(3, 4);
      int[] fixed = {in.readInt(), in.readInt(), in.readInt()};
      int[] values = new int[in.readArrayLength(MAX_VALUES, 4)];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readInt();
      }
      byte[] tag = in.readFixedOpaque(3);
      byte[] blob = in.readOpaque(MAX_VALUES);
      Point origin = Point.CODEC.decode(in);
      Node items = Node.LIST.decode(in);
      Shape form = Shape.CODEC.decode(in);
      return new Profile(
          title, tint, flag, count, big, ratio, fixed, values, tag, blob, origin, items, form);
    }
  }

  /** {@code union outcome switch (int status)}: a profile on 0, an error text otherwise. */
  sealed interface Outcome {
    /** {@code case 0: profile value}. */
    record Value(Profile profile) implements Outcome {}

    /** {@code default: text error}, with the status it came with (never 0). */
    record Failure(int status, String error) implements Outcome {}

    XdrCodec<Outcome> CODEC = XdrCodecs.of(
        (out, outcome) -> {
          if (outcome instanceof Value value) {
            out.writeInt(0);
            Profile.CODEC.encode(out, value.profile());
          } else {
            Failure failure = (Failure) outcome;
            out.writeInt(failure.status());
            out.writeString(failure.error(), Xdr.UNBOUNDED);
          }
        },
        in -> {
          int status = in.readInt();
          return status == 0
              ? new Value(Profile.CODEC.decode(in))
              : new Failure(status, in.readString(Xdr.UNBOUNDED));
        });
  }

  /** The arguments of {@code hyper ADD3(int a, hyper b, unsigned int c)}, in order. */
  record Add3Args(int a, long b, int c) {
    static final XdrCodec<Add3Args> CODEC = XdrCodecs.of(
        (out, args) -> {
          out.writeInt(args.a);
          out.writeHyper(args.b);
          out.writeUnsignedInt(args.c);
        },
        in -> new Add3Args(in.readInt(), in.readHyper(), in.readUnsignedInt()));
  }
}
