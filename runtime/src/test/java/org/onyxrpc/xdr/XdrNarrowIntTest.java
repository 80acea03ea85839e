package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * rpcgen's {@code char}, {@code unsigned char}, {@code short} and {@code unsigned short}: an XDR
 * int each, which C's {@code xdr_char} and the like send sign-extended (or not) from the narrow
 * type and cut to its low bits when reading. Onyx sends and reads only what the C type holds, so
 * that no value reaches a C peer other than it was sent.
 */
class XdrNarrowIntTest {
  @Test
  void valuesTheCTypeHoldsTravelAsCSendsThem() {
    assertEquals("ffffff80", Bufs.writeHex(out -> out.writeChar(-128)));
    assertEquals("0000007f", Bufs.writeHex(out -> out.writeChar(127)));
    assertEquals("000000ff", Bufs.writeHex(out -> out.writeUnsignedChar(255)));
    assertEquals("ffff8000", Bufs.writeHex(out -> out.writeShort(-32768)));
    assertEquals("0000ffff", Bufs.writeHex(out -> out.writeUnsignedShort(65535)));
    assertEquals(-128, Bufs.read("ffffff80", XdrReader::readChar));
    assertEquals(255, Bufs.read("000000ff", XdrReader::readUnsignedChar));
    assertEquals(-32768, Bufs.read("ffff8000", XdrReader::readShort));
    // C's char is unsigned on ARM: its 128 to 255 come as such, and reach x86 as the same 8 bits.
    assertEquals(200, Bufs.read("000000c8", XdrReader::readChar));
    assertEquals("000000ff", Bufs.writeHex(out -> out.writeChar(255)));
    assertEquals(65535, Bufs.read("0000ffff", XdrReader::readUnsignedShort));
    assertEquals("0000ffff", Bufs.encodeHex(XdrCodecs.UNSIGNED_SHORT, 65535));
    assertEquals("ffffff80", Bufs.encodeHex(XdrCodecs.INT8, -128));
    assertEquals("0000007f", Bufs.writeHex(out -> out.writeInt8(127)));
    assertEquals(-128, Bufs.read("ffffff80", XdrReader::readInt8));
  }

  @Test
  void int8IsSignedEverywhere() {
    // xdr_int8_t reads 200 as -56: an int8_t is a signed char on ARM too, unlike a char.
    assertEquals("int8_t must be -128 to 127, got 200",
        assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeInt8(200))).getMessage());
    assertEquals("int8_t must be -128 to 127, got 128",
        assertThrows(XdrException.class, () -> Bufs.read("00000080", XdrReader::readInt8))
            .getMessage());
    assertThrows(XdrException.class, () -> Bufs.read("ffffff7f", XdrReader::readInt8));
  }

  @Test
  void valuesBeyondTheCTypeAreRefusedBothWays() {
    assertEquals("char must be -128 to 255, got 256",
        assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeChar(256))).getMessage());
    assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeChar(-129)));
    assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeUnsignedChar(-1)));
    assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeShort(32768)));
    assertThrows(XdrException.class, () -> Bufs.writeHex(out -> out.writeUnsignedShort(65536)));
    assertEquals("unsigned char must be 0 to 255, got 256",
        assertThrows(XdrException.class, () -> Bufs.read("00000100", XdrReader::readUnsignedChar))
            .getMessage());
    assertThrows(XdrException.class, () -> Bufs.read("00000100", XdrReader::readChar));
    assertThrows(XdrException.class, () -> Bufs.read("ffffff7f", XdrReader::readChar));
    assertThrows(XdrException.class, () -> Bufs.read("ffff7fff", XdrReader::readShort));
    assertThrows(XdrException.class, () -> Bufs.read("ffffffff", XdrReader::readUnsignedShort));
    assertThrows(XdrException.class, () -> Bufs.read("0000", XdrReader::readShort));
  }
}
