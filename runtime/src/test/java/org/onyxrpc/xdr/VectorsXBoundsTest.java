package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.VectorsX.Blue;
import org.onyxrpc.xdr.VectorsX.Color;
import org.onyxrpc.xdr.VectorsX.Everything;
import org.onyxrpc.xdr.VectorsX.Point;

/** The bounds {@code vectors.x} declares, enforced by its codecs on both sides. */
class VectorsXBoundsTest {
  private static Everything everything(List<Point> pts, int[] fixed3) {
    return new Everything(0, 0, 0, 0, false, 0f, 0, Color.RED, new Point(0, 0), pts, fixed3,
        new byte[0], new byte[5], "", null, null, new Blue());
  }

  @Test
  void nameIsSixteenBytesAtMost() {
    assertEquals("x".repeat(16), Bufs.roundTrip(VectorsX.NAME, "x".repeat(16)));
    assertThrows(XdrException.class, () -> Bufs.encodeHex(VectorsX.NAME, "x".repeat(17)));
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(VectorsX.NAME, "00000011" + "78".repeat(17) + "000000"));
  }

  @Test
  void blobIsSixtyFourBytesAtMost() {
    assertEquals(64, Bufs.roundTrip(VectorsX.BLOB, new byte[64]).length);
    assertThrows(XdrException.class, () -> Bufs.encodeHex(VectorsX.BLOB, new byte[65]));
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(VectorsX.BLOB, "00000041" + "00".repeat(68)));
  }

  @Test
  void digestIsExactlyFiveBytes() {
    assertThrows(XdrException.class, () -> Bufs.encodeHex(VectorsX.DIGEST, new byte[4]));
    assertThrows(XdrException.class, () -> Bufs.encodeHex(VectorsX.DIGEST, new byte[6]));
  }

  @Test
  void undeclaredColorIsRejected() {
    XdrException e = assertThrows(XdrException.class,
        () -> Bufs.decodeAll(VectorsX.COLOR, "00000003"));
    assertEquals("enum color has no value 3", e.getMessage());
  }

  @Test
  void unionDiscriminantMustBeADeclaredColor() {
    // The default arm takes any declared color without a case (NEG), not any int.
    assertThrows(XdrException.class,
        () -> Bufs.decodeAll(VectorsX.RESULT, "00000007ffffffffffffffff"));
  }

  @Test
  void pointsAreFourAtMost() {
    Point p = new Point(1, 1);
    Everything four = everything(List.of(p, p, p, p), new int[3]);
    DeepEquals.assertDeepEquals(four, Bufs.roundTrip(VectorsX.EVERYTHING, four));
    assertThrows(XdrException.class,
        () -> Bufs.encodeHex(VectorsX.EVERYTHING, everything(List.of(p, p, p, p, p), new int[3])));
  }

  @Test
  void fixedArrayIsExactlyThree() {
    assertThrows(XdrException.class,
        () -> Bufs.encodeHex(VectorsX.EVERYTHING, everything(List.of(), new int[2])));
    assertThrows(XdrException.class,
        () -> Bufs.encodeHex(VectorsX.EVERYTHING, everything(List.of(), new int[4])));
  }
}
