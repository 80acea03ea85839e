package org.onyxrpc.xdr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.onyxrpc.testing.Allocations;

/**
 * Any bytes read as recursive, list, string and opaque types: a value or an {@link
 * XdrException}, never another exception, a stack overflow or an allocation the bytes do not
 * pay for. Corpus: {@code src/test/resources/org/onyxrpc/xdr/XdrReaderFuzzTestInputs}.
 */
class XdrReaderFuzzTest {
  /** A tree as generated code reads one: nested values through readOptional. */
  record Tree(int value, Tree left, Tree right) {
    static final XdrCodec<Tree> CODEC = XdrCodecs.of((out, t) -> { }, new XdrCodecs.Decoder<>() {
      @Override
      public Tree decode(XdrReader in) {
        return new Tree(in.readInt(), in.readOptional(Tree.CODEC), in.readOptional(Tree.CODEC));
      }
    });
  }

  private static final XdrCodec<List<String>> STRINGS = XdrCodecs.list(XdrCodecs.string(64), 1 << 20, 4);
  private static final XdrCodec<List<byte[]>> OPAQUES = XdrCodecs.list(XdrCodecs.OPAQUE, 1 << 20, 4);

  @FuzzTest
  void readAnything(byte[] input) {
    XdrLimits small = new XdrLimits(32, 1 << 16);
    for (XdrCodec<?> codec : List.of(Tree.CODEC, STRINGS, OPAQUES, XdrCodecs.optional(Tree.CODEC))) {
      Allocations.bounded(input.length, 32, () -> {
        try {
          new XdrReader(Unpooled.wrappedBuffer(input), small).readWhole(codec);
        } catch (XdrException expected) {
          // malformed, too deep or too large: told, not thrown as anything else
        }
      });
    }
  }
}
