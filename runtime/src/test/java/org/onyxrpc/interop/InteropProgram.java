package org.onyxrpc.interop;

import org.onyxrpc.interop.InteropTypes.Add3Args;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.interop.InteropTypes.Node;
import org.onyxrpc.interop.InteropTypes.Outcome;
import org.onyxrpc.interop.InteropTypes.Profile;
import org.onyxrpc.interop.InteropTypes.Shape;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/** {@code program INTEROP_PROG version INTEROP_V1} of interop.x: its numbers and procedures. */
final class InteropProgram {
  static final int PROGRAM = 0x20000777;
  static final int VERSION = 1;

  /** Procedure 0, the NULL ping every server answers. */
  static final Procedure<Void, Void> NULL = procedure(0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID);
  static final Procedure<Profile, Outcome> TRANSFORM =
      procedure(1, "TRANSFORM", Profile.CODEC, Outcome.CODEC);
  static final Procedure<Add3Args, Long> ADD3 =
      procedure(2, "ADD3", Add3Args.CODEC, XdrCodecs.HYPER);
  static final Procedure<Node, Node> REVERSE = procedure(3, "REVERSE", Node.LIST, Node.LIST);
  static final Procedure<Shape, Shape> MORPH = procedure(4, "MORPH", Shape.CODEC, Shape.CODEC);
  static final Procedure<Color, Color> NEXT_COLOR =
      procedure(5, "NEXT_COLOR", Color.CODEC, Color.CODEC);
  static final Procedure<String, String> GREET =
      procedure(6, "GREET", XdrCodecs.string(InteropTypes.MAX_NAME), XdrCodecs.STRING);

  static final Procedure<Void, String> WHOAMI =
      procedure(7, "WHOAMI", XdrCodecs.VOID, XdrCodecs.STRING);

  static final Procedure<Integer, Integer> COUNT_RUNS =
      procedure(8, "COUNT_RUNS", XdrCodecs.UNSIGNED_INT, XdrCodecs.UNSIGNED_INT);

  private InteropProgram() {}

  /** A procedure of this program version; also used to build calls the server must refuse. */
  static <A, R> Procedure<A, R> procedure(
      int number, String name, XdrCodec<A> arguments, XdrCodec<R> result) {
    return new Procedure<>(PROGRAM, VERSION, number, "Interop." + name, arguments, result);
  }
}
