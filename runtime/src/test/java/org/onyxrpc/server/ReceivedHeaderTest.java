package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrReader;

/**
 * A call header's credential and verifier that cannot be read are refused (AUTH_BADCRED,
 * AUTH_BADVERF) without an exception: a peer floods them as fast as any other call, and each
 * exception's stack trace cost more than the rest of the refusal.
 */
class ReceivedHeaderTest {
  private static final int XID = 7;

  /** What follows xid and msg_type: rpcvers, prog, vers, proc, then {@code auth} words. */
  private static byte[] header(int... auth) {
    ByteBuffer b = ByteBuffer.allocate(16 + 4 * auth.length);
    b.putInt(2).putInt(0x20000101).putInt(1).putInt(1);
    for (int word : auth) {
      b.putInt(word);
    }
    return b.array();
  }

  /** What reading a header gave: the header, or what was handed to the refusals. */
  private record Read(CallHeader call, ReplyHeader refusal, boolean handedOver) {}

  /** Keeps what it was handed, so that reading allocates nothing for the test's sake. */
  private static final class Refused implements ReceivedHeader.Refusals {
    ReplyHeader refusal;
    boolean handedOver;

    @Override
    public void refuse(ReplySink sink, int length, ReplyHeader refusal) {
      this.refusal = refusal;
      this.handedOver = true;
    }
  }

  private static Read read(byte[] bytes) {
    Refused refused = new Refused();
    CallHeader call = readWith(bytes, refused);
    // Either a header or a refusal (null: dropped) handed over, never both.
    assertEquals(call == null, refused.handedOver);
    return new Read(call, refused.refusal, refused.handedOver);
  }

  private static CallHeader readWith(byte[] bytes, Refused refused) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    return ReceivedHeader.read(new XdrReader(buf), XID, null, bytes.length, refused);
  }

  @Test
  void unreadableCredentialsAndVerifiersAreRefused() {
    ReplyHeader badcred = ReplyHeader.authError(XID, AuthStatus.AUTH_BADCRED);
    ReplyHeader badverf = ReplyHeader.authError(XID, AuthStatus.AUTH_BADVERF);
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 401)).refusal());
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 0xFFFF_FFFF, 0, 0)).refusal());
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 0x8000_0000, 0, 0)).refusal());
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 8, 0)).refusal()); // past the end
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 3, 0x61626300 | 1, 0, 0)).refusal());
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS)).refusal()); // no credential
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 5, 0)).refusal()); // padding missing
    assertEquals(badverf, read(header(0, 0, 0, 401)).refusal());
    assertEquals(badverf, read(header(0, 0, 0, 0xFFFF_FFFD)).refusal());
    assertEquals(badverf, read(header(0, 0, 0)).refusal()); // verifier cut short
    assertEquals(badverf, read(header(0, 0, 0, 1, 0x01000100)).refusal()); // padding not zero
    Read good = read(header(OpaqueAuth.AUTH_SYS, 3, 0x61626300, 0, 4, 0x53544152));
    assertNull(good.refusal());
    assertEquals(3, good.call().credential().body().length);
    assertEquals(4, good.call().verifier().body().length);
    assertEquals(badcred, read(header(OpaqueAuth.AUTH_SYS, 400, 0, 0)).refusal()); // 400, 8 sent
  }

  /** Fails before: such a header threw an XdrException, and CallProcessor dropped it from that. */
  @Test
  void aHeaderThatEndsBeforeItsCredentialIsNull() {
    byte[] whole = header(0, 0, 0, 0);
    for (int length = 0; length < 16; length++) {
      Read cut = read(java.util.Arrays.copyOf(whole, length));
      assertNull(cut.call(), length + " bytes");
      assertNull(cut.refusal(), length + " bytes: dropped, not refused");
    }
    // Another RPC version is answered from the version alone, as before.
    assertEquals(ReplyHeader.rpcMismatch(XID, 2, 2), read(new byte[] {0, 0, 0, 3}).refusal());
  }

  /**
   * Fails before: each refusal (or header dropped as cut short) filled in an XdrException's
   * stack trace, about ten times what reading a good header allocates (counted by the JVM, not
   * timed).
   */
  @Test
  void aRefusalAllocatesNoMoreThanAGoodHeader() {
    byte[] good = header(OpaqueAuth.AUTH_SYS, 4, 0x61626364, 0, 0);
    byte[][] bad = {header(OpaqueAuth.AUTH_SYS, 401), header(OpaqueAuth.AUTH_SYS, 0xFFFF_FFFF),
        header(0, 0, 0, 401), header(0, 0, 0, 8, 0), new byte[] {0, 0, 0, 2, 0, 0, 0, 1}};
    Refused refused = new Refused();
    long reads = Allocations.of(() -> {
      for (int i = 0; i < 1000; i++) {
        readWith(good, refused);
      }
    });
    for (byte[] header : bad) {
      long refusals = Allocations.of(() -> {
        for (int i = 0; i < 1000; i++) {
          readWith(header, refused);
        }
      });
      assertTrue(refusals <= reads + 16_384,
          "1000 refusals allocated " + refusals + " bytes, 1000 good headers " + reads);
    }
  }
}
