import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Compiled with the Java generated from vectors.x by EndToEndTest: the generated codecs write
 * exactly the bytes libtirpc wrote for the same values, and read them back to equal values.
 */
public final class VectorsScenario implements Callable<String> {
  private final Map<String, String> vectors = new HashMap<>();

  @Override
  public String call() throws Exception {
    Path tsv = Path.of(System.getProperty("golden.dir", "src/test/resources/golden"))
        .getParent().resolve("e2e/conformance/xdr-vectors.tsv");
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] parts = line.split("\t");
      vectors.put(parts[0], parts[1]);
    }
    both("enum color BLUE", Color.CODEC, Color.BLUE);
    both("enum color NEG(-5)", Color.CODEC, Color.NEG);
    both("struct point {3,-4}", Point.CODEC, new Point(3, -4));
    XdrCodec<Node> list = XdrCodecs.optional(Node.CODEC);
    both("optional node list 10->20->30", list, new Node(10, new Node(20, new Node(30, null))));
    both("optional node list null", list, null);
    both("union result RED code=42", Result.CODEC, new Result.Code(42));
    both("union result GREEN msg=\"ok\"", Result.CODEC, new Result.Msg("ok"));
    both("union result BLUE void", Result.CODEC, new Result.Blue());
    both("union result default(NEG) big=-1", Result.CODEC, new Result.Big(Color.NEG, -1L));
    String everything = vectors.get("struct everything (see vectors.x)");
    Everything decoded = decode(Everything.CODEC, everything);
    assertEquals(everything, encode(Everything.CODEC, decoded));
    assertEquals(new Result.Blue(), decoded.r());
    assertEquals(-7, decoded.i());
    assertEquals(Color.GREEN, decoded.c());
    assertEquals(new Point(5, 6), decoded.p());
    assertEquals(java.util.List.of(new Point(1, 2), new Point(3, 4)), decoded.pts());
    assertEquals(java.util.List.of(1, 2, 3), java.util.Arrays.stream(decoded.fixed3()).boxed().toList());
    assertEquals("onyx", decoded.nm());
    assertEquals(new Point(8, 9), decoded.maybe());
    assertEquals(new Node(20, new Node(30, null)), decoded.list());
    return "ok";
  }

  private <T> void both(String name, XdrCodec<T> codec, T value) {
    String hex = vectors.get(name);
    assertEquals(hex, encode(codec, value), name);
    assertEquals(value, decode(codec, hex), name);
  }

  private static <T> String encode(XdrCodec<T> codec, T value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(buf), value);
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
    }
  }

  private static <T> T decode(XdrCodec<T> codec, String hex) {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    try {
      T value = codec.decode(new XdrReader(buf));
      assertEquals(0, buf.readableBytes(), "all bytes read");
      return value;
    } finally {
      buf.release();
    }
  }
}
