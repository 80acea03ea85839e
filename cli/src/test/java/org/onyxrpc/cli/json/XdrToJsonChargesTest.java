package org.onyxrpc.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.onyxrpc.testing.DecodeCharges.assertChargesWhatItAllocates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.schema.IdlSchemas;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The JSON a reply decodes into is charged to the reply's reader, so that its limits bound the
 * tree a hostile server can make {@code onyx call} build. Before, only the XDR items were charged:
 * a struct of 4 bytes on the wire made some 200 bytes of nodes that no limit saw.
 */
class XdrToJsonChargesTest {
  private static final Schema SCHEMA =
      IdlSchemas.load(Path.of("."), List.of(), List.of(Path.of("src/test/idl/every.idl")));
  private static final Type EVERY = new Type.Defined("every");
  private static final Type NODES = new Type.Array(new Type.Defined("node"), Integer.MAX_VALUE, false);

  private static XdrCodec<JsonNode> codec(Type type) {
    return XdrCodecs.of((out, json) -> new JsonToXdr(SCHEMA).write(type, json, "$", out),
        in -> new XdrToJson(SCHEMA).read(type, in));
  }

  private static byte[] xdr(Type type, String json) throws Exception {
    ByteBuf buf = Unpooled.buffer();
    new JsonToXdr(SCHEMA).write(type, JsonMapper.builder().build().readTree(json), "$", new XdrWriter(buf));
    return ByteBufUtil.getBytes(buf);
  }

  /** {@code count} nodes of the empty label and no next: 8 bytes each on the wire. */
  private static byte[] emptyNodes(int count) {
    ByteBuf buf = Unpooled.buffer().writeInt(count);
    for (int i = 0; i < count; i++) {
      buf.writeInt(0).writeInt(0);
    }
    return ByteBufUtil.getBytes(buf);
  }

  @Test
  void everyTypeChargesWhatItsJsonAllocates() throws Exception {
    assertChargesWhatItAllocates(codec(EVERY), xdr(EVERY, """
        {"i": 123456, "u": 4294967295, "h": -9007199254740993, "uh": "18446744073709551615",
         "f": 1.5, "d": "NaN", "b": true, "s": "abcd", "fixed_bytes": "hex:0a0b0c",
         "bytes": "AQID", "fixed_ints": [100000, 200000], "colors": ["BLUE", 1, 2],
         "list": {"label": "one", "next": {"label": "two", "next": null}},
         "e": {"discriminant": "BLUE", "value": "other arm"},
         "o": {"discriminant": true, "value": 5},
         "n": {"discriminant": 4000000000, "value": 0.25}}
        """));
  }

  @Test
  void manySmallStructsChargeWhatTheirJsonAllocates() {
    assertChargesWhatItAllocates(codec(NODES), emptyNodes(100));
  }

  @Test
  void aReplyOfManySmallStructsIsRefusedAtTheReadersLimit() {
    // 64 Ki structs: half a megabyte on the wire, over 20 MB of JSON.
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(emptyNodes(1 << 16)),
        new XdrLimits(XdrLimits.DEFAULT_MAX_DEPTH, 8 << 20));
    XdrException e = assertThrows(XdrException.class, () -> new XdrToJson(SCHEMA).read(NODES, in));
    assertEquals("decoded values would take more than the 8388608 bytes allowed for one message", e.getMessage());
  }

  @Test
  void aCountOfElementsOfTheLargestFixedOpaqueIsCheckedAgainstTheBytesLeft() {
    // opaque[2147483647] padded is 2^31: as an int, negative, and a count of a million such
    // elements passed the check of bytes left (and had its list made) with 4 bytes sent.
    Type huge = new Type.Array(new Type.Opaque(Integer.MAX_VALUE, true), Integer.MAX_VALUE, false);
    XdrReader in = new XdrReader(Unpooled.buffer().writeInt(1_000_000));
    XdrException e = assertThrows(XdrException.class, () -> new XdrToJson(SCHEMA).read(huge, in));
    assertEquals("array length 1000000 needs at least 2147483647000000 bytes, only 0 left", e.getMessage());
  }
}
