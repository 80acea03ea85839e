package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4506 §4.4: a bool is 1 or 0 and nothing else. */
class XdrBoolTest {
  @Test
  void encodesAsOneAndZero() {
    assertEquals("00000001", Bufs.encodeHex(XdrCodecs.BOOL, true));
    assertEquals("00000000", Bufs.encodeHex(XdrCodecs.BOOL, false));
    assertEquals(true, Bufs.decodeAll(XdrCodecs.BOOL, "00000001"));
    assertEquals(false, Bufs.decodeAll(XdrCodecs.BOOL, "00000000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"00000002", "ffffffff", "01000000", "00000100", "80000000"})
  void anythingButZeroOrOneIsRejected(String hex) {
    XdrException e = assertThrows(XdrException.class, () -> Bufs.decodeAll(XdrCodecs.BOOL, hex));
    assertEquals("bool must be 0 or 1, got " + Integer.parseUnsignedInt(hex, 16), e.getMessage());
  }
}
