package org.onyxrpc.xdr;

import static org.onyxrpc.xdr.VectorsX.BLOB;
import static org.onyxrpc.xdr.VectorsX.COLOR;
import static org.onyxrpc.xdr.VectorsX.DIGEST;
import static org.onyxrpc.xdr.VectorsX.EVERYTHING;
import static org.onyxrpc.xdr.VectorsX.NODE_LIST;
import static org.onyxrpc.xdr.VectorsX.POINT;
import static org.onyxrpc.xdr.VectorsX.RESULT;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.onyxrpc.xdr.VectorsX.Big;
import org.onyxrpc.xdr.VectorsX.Blue;
import org.onyxrpc.xdr.VectorsX.Code;
import org.onyxrpc.xdr.VectorsX.Color;
import org.onyxrpc.xdr.VectorsX.Everything;
import org.onyxrpc.xdr.VectorsX.Msg;
import org.onyxrpc.xdr.VectorsX.Node;
import org.onyxrpc.xdr.VectorsX.Point;

/** Every data-type line of {@code xdr-vectors.tsv}, byte for byte, both ways. */
class XdrVectorsTest {
  private static final Predicate<String> XDR_LINES = name -> !ConformanceVectors.isRpcMessage(name);
  private static final Map<String, VectorCase<?>> CASES = new LinkedHashMap<>();

  private static <T> void vector(String name, XdrCodec<T> codec, T value) {
    CASES.put(name, new VectorCase<>(codec, value));
  }

  static {
    vector("int 0", XdrCodecs.INT, 0);
    vector("int 1", XdrCodecs.INT, 1);
    vector("int -1", XdrCodecs.INT, -1);
    vector("int 2147483647", XdrCodecs.INT, Integer.MAX_VALUE);
    vector("int -2147483648", XdrCodecs.INT, Integer.MIN_VALUE);
    vector("unsigned int 4294967295", XdrCodecs.UNSIGNED_INT, (int) 4294967295L);
    vector("unsigned int 2147483648", XdrCodecs.UNSIGNED_INT, (int) 2147483648L);
    vector("hyper -2", XdrCodecs.HYPER, -2L);
    vector("hyper 0x0102030405060708", XdrCodecs.HYPER, 0x0102030405060708L);
    vector("unsigned hyper 18446744073709551615", XdrCodecs.UNSIGNED_HYPER,
        Long.parseUnsignedLong("18446744073709551615"));
    vector("bool true", XdrCodecs.BOOL, true);
    vector("bool false", XdrCodecs.BOOL, false);
    vector("float 1.5", XdrCodecs.FLOAT, 1.5f);
    vector("float -0.0", XdrCodecs.FLOAT, -0.0f);
    vector("double 3.141592653589793", XdrCodecs.DOUBLE, 3.141592653589793);
    vector("double 1e300", XdrCodecs.DOUBLE, 1e300);
    vector("enum color BLUE", COLOR, Color.BLUE);
    vector("enum color NEG(-5)", COLOR, Color.NEG);
    vector("string \"\"", XdrCodecs.STRING, "");
    vector("string \"a\"", XdrCodecs.STRING, "a");
    vector("string \"abcd\"", XdrCodecs.STRING, "abcd");
    vector("string \"hello\"", XdrCodecs.STRING, "hello");
    vector("string \"h\\u00e9llo w\\u00f6rld\" (UTF-8 bytes)", XdrCodecs.STRING,
        "h\u00e9llo w\u00f6rld");
    vector("opaque<64> empty", BLOB, new byte[0]);
    vector("opaque<64> 010203", BLOB, new byte[] {1, 2, 3});
    vector("opaque<64> 01020304050607", BLOB, new byte[] {1, 2, 3, 4, 5, 6, 7});
    vector("opaque[5] 0908070605", DIGEST, new byte[] {9, 8, 7, 6, 5});
    vector("struct point {3,-4}", POINT, new Point(3, -4));
    vector("optional node list 10->20->30", NODE_LIST, Node.of(10, 20, 30));
    vector("optional node list null", NODE_LIST, null);
    vector("union result RED code=42", RESULT, new Code(42));
    vector("union result GREEN msg=\"ok\"", RESULT, new Msg("ok"));
    vector("union result BLUE void", RESULT, new Blue());
    vector("union result default(NEG) big=-1", RESULT, new Big(Color.NEG, -1L));
    vector("struct everything (see vectors.x)", EVERYTHING, new Everything(
        -7, 7, -70_000_000_000L, 70_000_000_000L, true, 0.25f, -2.5, Color.GREEN,
        new Point(5, 6), List.of(new Point(1, 2), new Point(3, 4)), new int[] {1, 2, 3},
        new byte[] {1, 2}, "ABCDE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "onyx",
        new Point(8, 9), Node.of(20, 30), new Blue()));
  }

  @TestFactory
  Stream<DynamicTest> everyDataTypeLineEncodesAndDecodesExactly() {
    return ConformanceVectors.tests(XDR_LINES, CASES);
  }

  @Test
  void casesAndLinesNameTheSameVectors() {
    ConformanceVectors.assertCasesMatchLines(XDR_LINES, CASES);
  }
}
