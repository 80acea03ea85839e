package org.example.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.concurrent.Callable;
import org.example.e2e.garbage.ByMode;
import org.example.e2e.garbage.Mode;
import org.example.e2e.garbage.Pick;
import org.example.e2e.garbage.Setting;
import org.example.e2e.garbage.Wide;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * An enum value no constant has and a union discriminant with no arm, read as a server reads a
 * peer's call (XdrReader.withoutStackTraces), are refused without a stack trace, as the reader's
 * own checks are: a peer may send such arguments as fast as it likes. Read by a program from its
 * own data (a plain XdrReader), the same exception keeps its stack trace, as Mode.of's does.
 */
public final class GarbageScenario implements Callable<String> {
  @Override
  public String call() {
    refused(Mode.CODEC, new byte[] {0, 0, 0, 3}, "no Mode has value 3");
    refused(Pick.CODEC, new byte[] {0, 0, 0, 3}, "no arm of Pick for 3");
    refused(Wide.CODEC, new byte[] {0, 0, 0, 0, 0, 0, 0, 3}, "no arm of Wide for 3");
    // An enum in a struct's field or as a union's discriminant is read through its codec.
    refused(Setting.CODEC, new byte[] {0, 0, 0, 3}, "no Mode has value 3");
    refused(ByMode.CODEC, new byte[] {0, 0, 0, 3}, "no Mode has value 3");
    XdrException of = assertThrows(XdrException.class, () -> Mode.of(3));
    assertEquals("no Mode has value 3", of.getMessage());
    assertTrue(of.getStackTrace().length > 0);
    assertEquals(Mode.OFF, Mode.CODEC.decode(
        XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2}), XdrLimits.DEFAULT)));
    return "ok";
  }

  private static void refused(XdrCodec<?> codec, byte[] bytes, String message) {
    XdrException peers = assertThrows(XdrException.class, () -> codec.decode(
        XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(bytes), XdrLimits.DEFAULT)));
    assertEquals(message, peers.getMessage());
    assertEquals(0, peers.getStackTrace().length, message);
    XdrException own = assertThrows(XdrException.class,
        () -> codec.decode(new XdrReader(Unpooled.wrappedBuffer(bytes))));
    assertEquals(message, own.getMessage());
    assertTrue(own.getStackTrace().length > 0, message);
  }
}
