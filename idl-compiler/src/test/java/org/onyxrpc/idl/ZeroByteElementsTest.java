package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A struct of no fields, which Onyx accepts and rpcgen does not ({@code
 * rpcgen-grammar/differences.txt}), takes no bytes on the wire, and neither does {@code
 * opaque[0]}. Generated decoders took each element of an array of them for at least one byte, so
 * a valid message that ended with such an array was refused as too short.
 */
class ZeroByteElementsTest {
  @TempDir Path temp;

  private XdrCodec<Object> holder() throws Exception {
    Path idl = temp.resolve("zero.idl");
    Files.writeString(idl, """
        package zero;
        struct Empty { };
        struct Nothing { opaque none[0]; };
        struct Holder { Empty some<>; Empty three[3]; Nothing nothings<4>; };
        """);
    IdlCompiler.Result result = IdlCompiler.compile(temp, List.of(), List.of(idl));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    @SuppressWarnings("resource") // the classes are used until the test ends
    URLClassLoader loader = JavaSources.loader(JavaSources.compile(sources, temp.resolve("classes")));
    return new GeneratedCodecs(result.schema().orElseThrow(), result.sources(), loader).type("Holder");
  }

  @Test
  void anArrayOfValuesOfNoBytesAtTheEndOfAMessageDecodes() throws Exception {
    XdrCodec<Object> holder = holder();
    // two Empty, three Empty (no count: fixed), one Nothing: two counts and nothing else.
    byte[] wire = HexFormat.of().parseHex("00000002" + "00000001");
    Object value = new XdrReader(Unpooled.wrappedBuffer(wire)).readWhole(holder);
    assertEquals("Holder[some=[Empty[], Empty[]], three=[Empty[], Empty[], Empty[]], nothings=[Nothing[none=[]]]]",
        value.toString());
    ByteBuf out = Unpooled.buffer();
    holder.encode(new XdrWriter(out), value);
    assertEquals(HexFormat.of().formatHex(wire), ByteBufUtil.hexDump(out));
  }

  @Test
  void aHugeCountOfThemIsRefusedByTheDecodedSizeLimitBeforeAnythingIsBuilt() throws Exception {
    XdrCodec<Object> holder = holder();
    byte[] wire = HexFormat.of().parseHex("7fffffff" + "00000000");
    XdrException refused = assertThrows(XdrException.class,
        () -> new XdrReader(Unpooled.wrappedBuffer(wire)).readWhole(holder));
    assertTrue(refused.getMessage().startsWith("decoded values would take more than the "),
        refused.getMessage());
  }
}
