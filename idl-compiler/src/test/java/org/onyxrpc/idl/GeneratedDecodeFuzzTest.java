package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Any bytes read by generated codecs of a schema with recursion (optional-data lists, a tree
 * through a union), unions on an enum, a bool and an unsigned int, optional data, fixed and
 * bounded arrays ({@code src/test/resources/fuzz/generated-decode.idl}, compiled once per run):
 * a value or an {@link XdrException} (too deep, too large, malformed), never another exception
 * or a stack overflow; no allocation beyond a small multiple of the bytes; and a value read
 * encodes again to bytes that read back to the same encoding. Corpus: {@code
 * src/test/resources/org/onyxrpc/idl/GeneratedDecodeFuzzTestInputs}.
 */
class GeneratedDecodeFuzzTest {
  private static final XdrLimits LIMITS = new XdrLimits(32, 1 << 20);
  private static final List<XdrCodec<Object>> CODECS = compiled("holder", "shape", "link", "coded");

  @FuzzTest
  void decode(byte[] input) {
    for (XdrCodec<Object> codec : CODECS) {
      Allocations.bounded(input.length, 32, () -> check(codec, input));
    }
  }

  private static void check(XdrCodec<Object> codec, byte[] input) {
    Object value;
    try {
      value = new XdrReader(Unpooled.wrappedBuffer(input), LIMITS).readWhole(codec);
    } catch (XdrException refused) {
      return;
    }
    byte[] once;
    try {
      once = encode(codec, value);
    } catch (XdrException overBound) {
      // Only a string that grew on the way in (bytes that are not UTF-8, read as U+FFFD).
      assertTrue(value.toString().indexOf('\uFFFD') >= 0, overBound.getMessage());
      return;
    }
    assertArrayEquals(once, encode(codec, new XdrReader(Unpooled.wrappedBuffer(once)).readWhole(codec)),
        "reads back as it encodes");
  }

  private static byte[] encode(XdrCodec<Object> codec, Object value) {
    ByteBuf out = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(out), value);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** The codecs of {@code types}, from the schema compiled by the generator and then by javac. */
  private static List<XdrCodec<Object>> compiled(String... types) {
    try {
      Path idl = Golden.resources().resolve("fuzz/generated-decode.idl").toAbsolutePath();
      IdlCompiler.Result result = IdlCompiler.compile(idl.getParent(), List.of(), List.of(idl));
      assertTrue(result.succeeded(), result.diagnostics().format());
      Schema schema = result.schema().orElseThrow();
      Map<String, String> sources = new TreeMap<>();
      result.sources().forEach(s -> sources.put(s.path(), s.content()));
      Path dir = Files.createTempDirectory("onyx-generated-fuzz");
      dir.toFile().deleteOnExit();
      // The loader stays open: its classes are used for the whole run.
      @SuppressWarnings("resource")
      URLClassLoader loader = JavaSources.loader(JavaSources.compile(sources, dir));
      GeneratedCodecs codecs = new GeneratedCodecs(schema, result.sources(), loader);
      return Arrays.stream(types).map(t -> {
        try {
          return codecs.type(t);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }).toList();
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
