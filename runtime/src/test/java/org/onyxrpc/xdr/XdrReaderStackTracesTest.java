package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A reader of a peer's messages ({@link XdrReader#withoutStackTraces}) throws each of its
 * exceptions without a stack trace, with the message a reader of the program's own data throws,
 * which keeps its stack trace.
 */
class XdrReaderStackTracesTest {
  private static final XdrLimits LIMITS = new XdrLimits(1, 200);

  /** A way a reader refuses data: the bytes, and what is read from them. */
  private record Refusal(String hex, Consumer<XdrReader> read) {}

  private static final List<Refusal> REFUSALS = List.of(
      new Refusal("", XdrReader::readInt), // too few bytes
      new Refusal("000000", XdrReader::readHyper),
      new Refusal("00000002", XdrReader::readBool),
      new Refusal("00000002", XdrReader::readOptionalFlag),
      new Refusal("00000100", XdrReader::readUnsignedChar), // a narrow int out of its range
      new Refusal("00000009", in -> in.readOpaque(8)), // over its maximum
      new Refusal("00000008", in -> in.readString(8)), // past the end
      new Refusal("00000001 01010000", in -> in.readOpaque(8)), // padding not zero
      new Refusal("00000003", in -> in.readArrayLength(8, 4)), // more than the bytes can hold
      new Refusal("000000c8" + "00".repeat(200), in -> in.readOpaque(400)), // over the size
      new Refusal("00000001 00000001", in -> in.readOptional(decoding( // nested deeper than 1
          outer -> outer.readOptional(decoding(XdrReader::readInt))))),
      new Refusal("00000001 00000000", in -> in.readWhole(decoding(XdrReader::readInt))),
      new Refusal("", in -> in.readEmbedded( // read in line, as the reader reads
          Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2}), XdrReader::readBool)),
      new Refusal("00000003", in -> { // a codec's own check, as a generated enum's
        throw in.malformed("no Mode has value " + in.readEnum());
      }));

  private static <T> XdrCodec<T> decoding(XdrCodecs.Decoder<T> decoder) {
    return XdrCodecs.of((out, value) -> { }, decoder);
  }

  private static XdrException refused(
      Function<byte[], XdrReader> reader, String hex, Consumer<XdrReader> read) {
    XdrReader in = reader.apply(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    return assertThrows(XdrException.class, () -> read.accept(in), hex);
  }

  /** Fails before: there was no such reader; every XdrException filled in its stack trace. */
  @Test
  void aReaderOfAPeersMessagesThrowsWithoutAStackTrace() {
    for (Refusal refusal : REFUSALS) {
      String hex = refusal.hex();
      XdrException peers = refused(
          b -> XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(b), LIMITS), hex, refusal.read());
      XdrException own =
          refused(b -> new XdrReader(Unpooled.wrappedBuffer(b), LIMITS), hex, refusal.read());
      assertEquals(0, peers.getStackTrace().length, peers.getMessage());
      assertTrue(own.getStackTrace().length > 0, own.getMessage());
      assertEquals(own.getMessage(), peers.getMessage());
    }
  }

  @Test
  void aResetReaderStillThrowsWithoutAStackTrace() {
    XdrReader in = XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(new byte[4]), LIMITS);
    in.readInt();
    XdrException e = assertThrows(XdrException.class,
        () -> in.reset(Unpooled.wrappedBuffer(new byte[2])).readInt());
    assertEquals("int needs 4 bytes, only 2 left", e.getMessage());
    assertEquals(0, e.getStackTrace().length);
  }
}
