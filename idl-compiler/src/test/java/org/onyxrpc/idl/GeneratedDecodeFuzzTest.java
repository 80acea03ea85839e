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
 * or a stack overflow; no allocation beyond a small multiple of the bytes, nor beyond what the
 * decode charged against its limits; and a value read encodes again to the bytes it was read
 * from (bytes of a string that are not UTF-8 included). Corpus: {@code
 * src/test/resources/org/onyxrpc/idl/GeneratedDecodeFuzzTestInputs}.
 */
class GeneratedDecodeFuzzTest {
  private static final XdrLimits LIMITS = new XdrLimits(32, 1 << 20);
  private static final List<XdrCodec<Object>> CODECS = compiled("holder", "shape", "link", "coded");

  /**
   * What a decode may allocate beyond what it charges: a string's scratch arrays while its UTF-8
   * is decoded (its length tried as Latin-1, then twice it as UTF-16), 3 bytes per input byte;
   * for one with bytes that are not UTF-8, decoded again to keep them (XdrReader.readString),
   * the first String (2 bytes per byte) and the chars of the second (2 more) as well.
   */
  private static final int SCRATCH_PER_BYTE = 7;
  /** The {@link XdrReader} itself. */
  private static final int READER_BYTES = 48;

  @FuzzTest
  void decode(byte[] input) {
    for (XdrCodec<Object> codec : CODECS) {
      Object[] value = new Object[1];
      // Only the decode is measured: the checks below are this test's work, not the decoder's (a
      // tree's toString copies each level's text into the one above: 138 KB for the finding
      // pair-tree-with-invalid-utf8, whose decode takes 2.7 KB).
      Allocations.bounded(input.length, 32, () -> value[0] = decodeOrNull(codec, input, LIMITS));
      if (value[0] != null) {
        assertChargesWhatItAllocates(codec, input, LIMITS);
        assertArrayEquals(input, encode(codec, value[0]), "encodes as it was read");
      }
    }
  }

  /** The value {@code input} holds, or null if {@code codec} refuses it. */
  static Object decodeOrNull(XdrCodec<Object> codec, byte[] input, XdrLimits limits) {
    try {
      return new XdrReader(Unpooled.wrappedBuffer(input), limits).readWhole(codec);
    } catch (XdrException refused) {
      return null;
    }
  }

  /**
   * A decode that succeeds allocates no more than it charged against {@link
   * XdrLimits#maxDecodedBytes}, beyond scratch: the server's limits see what the values take.
   */
  static void assertChargesWhatItAllocates(XdrCodec<Object> codec, byte[] input, XdrLimits limits) {
    ByteBuf buf = Unpooled.wrappedBuffer(input);
    XdrReader[] reader = new XdrReader[1];
    long allocated = Allocations.of(() -> {
      reader[0] = new XdrReader(buf.readerIndex(0), limits);
      reader[0].readWhole(codec);
    });
    long charged = reader[0].decodedBytes();
    assertTrue(allocated <= READER_BYTES + charged + (long) SCRATCH_PER_BYTE * input.length,
        "decoding " + input.length + " bytes allocated " + allocated + ", charged " + charged);
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
  static List<XdrCodec<Object>> compiled(String... types) {
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
