package org.onyxrpc.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallMetadata;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/** The call tag's layout, with and without metadata, and the reply tag's flag that allows it. */
class CallTagTest {
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aTagWithoutMetadataIsTheOriginal36Bytes() {
    OpaqueAuth verifier = new CallTag(1, 2, true, 3, 4).toVerifier();
    assertEquals(36, verifier.body().length);
    assertEquals(new CallTag(1, 2, true, 3, 4), CallTag.of(verifier));
  }

  @Test
  void metadataFollowsTheFixedFieldsAndRoundTrips() {
    CallMetadata metadata = new CallMetadata().put("traceparent", TRACEPARENT).put("k", "v");
    OpaqueAuth verifier = new CallTag(1, 2, false, 1, 0, metadata).toVerifier();
    // 36 fixed bytes, the count, "traceparent" (4 + 12), its value (4 + 56), "k" (4 + 4), "v" (4 + 4)
    assertEquals(36 + 4 + 16 + 60 + 8 + 8, verifier.body().length);
    assertEquals(verifier.body().length - 36, metadata.encodedBytes());
    ByteBuf body = Unpooled.wrappedBuffer(verifier.body());
    assertEquals(CallTag.MAGIC, body.getInt(0));
    assertEquals(2, body.getInt(4)); // flags: metadata follows, not at-most-once
    CallTag tag = CallTag.of(verifier);
    assertEquals(TRACEPARENT, tag.metadata().get("traceparent"));
    assertEquals(List.of("traceparent", "k"), tag.metadata().keys());
    assertEquals(1, tag.clientHigh());
    assertEquals(1, tag.attempt());
    assertEquals(new CallTag(1, 2, false, 1, 0, metadata), tag); // a value, metadata included
  }

  /**
   * Fails before (an IllegalArgumentException and then an XdrException, each with its stack
   * trace): a peer's metadata entry that breaks a rule is refused with the server's reader's
   * exception, which has none, and the call is untagged.
   */
  @Test
  void aPeersBadMetadataEntryIsRefusedWithoutAStackTrace() {
    byte[] tagged = new CallTag(1, 2, false, 1, 0, new CallMetadata().put("k", "v")).toVerifier().body();
    byte[] badKey = tagged.clone();
    badKey[44] = 'K'; // after 36 fixed bytes, the count and the key's length
    byte[] badValue = tagged.clone();
    badValue[52] = 7; // and the key's 4 bytes and the value's length
    for (byte[] body : new byte[][] {badKey, badValue}) {
      XdrReader peers = XdrReader.withoutStackTraces(Unpooled.EMPTY_BUFFER, XdrLimits.DEFAULT);
      assertNull(CallTag.of(new OpaqueAuth(OpaqueAuth.AUTH_NONE, body), peers));
      XdrReader in = XdrReader.withoutStackTraces(
          Unpooled.wrappedBuffer(body, 36, body.length - 36), XdrLimits.DEFAULT);
      XdrException e = assertThrows(XdrException.class, () -> CallMetadata.decode(in));
      assertEquals(0, e.getStackTrace().length, e.getMessage());
      assertNull(e.getCause());
    }
    XdrException e = assertThrows(XdrException.class, () -> CallMetadata.decode(
        XdrReader.withoutStackTraces(Unpooled.wrappedBuffer(badKey, 36, badKey.length - 36),
            XdrLimits.DEFAULT)));
    assertEquals("bad call metadata: a call metadata key is lower-case ASCII letters, digits,"
        + " '-', '_' or '.': K", e.getMessage());
    // put, a program's own call, still throws IllegalArgumentException, with its trace.
    IllegalArgumentException own = assertThrows(IllegalArgumentException.class,
        () -> new CallMetadata().put("K", "v"));
    assertTrue(own.getStackTrace().length > 0);
  }

  @Test
  void aLengthThatContradictsTheFlagsIsNoTag() {
    byte[] tagged = new CallTag(1, 2, false, 1, 0, new CallMetadata().put("k", "v")).toVerifier().body();
    byte[] flagOnly = java.util.Arrays.copyOf(tagged, 36);
    assertNull(CallTag.of(new OpaqueAuth(OpaqueAuth.AUTH_NONE, flagOnly)));
    byte[] extraWithoutFlag = tagged.clone();
    extraWithoutFlag[7] = 0;
    assertNull(CallTag.of(new OpaqueAuth(OpaqueAuth.AUTH_NONE, extraWithoutFlag)));
    byte[] trailing = java.util.Arrays.copyOf(tagged, tagged.length + 4);
    assertNull(CallTag.of(new OpaqueAuth(OpaqueAuth.AUTH_NONE, trailing)));
  }

  @Test
  void metadataIsBoundedToWhatAVerifierHolds() {
    CallMetadata metadata = new CallMetadata();
    String value = "x".repeat(CallMetadata.MAX_VALUE_CHARS);
    metadata.put("a", value);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metadata.put("b", value));
    assertTrue(e.getMessage().contains("360"), e.getMessage());
    assertEquals(List.of("a"), metadata.keys()); // unchanged
    assertThrows(IllegalArgumentException.class, () -> metadata.put("Upper", "v"));
    assertThrows(IllegalArgumentException.class, () -> metadata.put("k", "tab\there"));
    assertTrue(36 + CallMetadata.MAX_BYTES <= OpaqueAuth.MAX_BODY);
    // The largest metadata still makes a valid verifier.
    CallMetadata full = new CallMetadata();
    full.put("k", "y".repeat(CallMetadata.MAX_VALUE_CHARS)).put("l", "z".repeat(76));
    assertEquals(CallMetadata.MAX_BYTES, full.encodedBytes());
    assertEquals(full.keys(), CallTag.of(new CallTag(1, 2, true, 1, 0, full).toVerifier()).metadata().keys());
  }

  @Test
  void malformedMetadataIsNoTag() {
    ByteBuf buf = Unpooled.buffer();
    XdrWriter out = new XdrWriter(buf);
    out.writeEnum(OpaqueAuth.AUTH_NONE);
    out.writeUnsignedInt(36 + 4 + 8 + 8);
    out.writeUnsignedInt(CallTag.MAGIC);
    out.writeUnsignedInt(2);
    out.writeHyper(1);
    out.writeHyper(2);
    out.writeUnsignedInt(1);
    out.writeUnsignedHyper(0);
    out.writeUnsignedInt(1);
    out.writeString("BAD", 64); // an upper-case key
    out.writeString("v", 256);
    assertNull(CallTag.of(OpaqueAuth.decode(new XdrReader(buf))));
  }

  /** The fuzz corpus's seeds reach the metadata paths, so every build replays them. */
  @Test
  void theFuzzSeedsCarryMetadata() throws Exception {
    java.nio.file.Path inputs = java.nio.file.Path.of(
        "src/test/resources/org/onyxrpc/internal/rpc/RpcMessagesFuzzTestInputs");
    CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(
        java.nio.file.Files.readAllBytes(inputs.resolve("parseCall/tagged_verifier_with_metadata")))));
    assertEquals(TRACEPARENT, CallTag.of(call.verifier()).metadata().get("traceparent"));
    ReplyHeader reply = RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(
        java.nio.file.Files.readAllBytes(inputs.resolve("parseReply/tagged_reads_metadata")))));
    assertTrue(ReplyTag.of(reply.verifier()).readsMetadata());
  }

  @Test
  void theReplyTagSaysWhetherTheServerReadsMetadataAndOldClientsIgnoreIt() {
    OpaqueAuth current = new ReplyTag(7, false).toVerifier();
    assertEquals(new ReplyTag(7, false, true), ReplyTag.of(current));
    assertEquals(2, Unpooled.wrappedBuffer(current.body()).getInt(12));
    assertEquals(new ReplyTag(7, true, false), ReplyTag.of(new ReplyTag(7, true, false).toVerifier()));
  }

  @Test
  void theReplyTagOfAServerWithoutACacheSaysItFiltersNoDuplicates() {
    OpaqueAuth noCache = new ReplyTag(7, false, true, false).toVerifier();
    assertEquals(2 | 4, Unpooled.wrappedBuffer(noCache.body()).getInt(12));
    assertEquals(new ReplyTag(7, false, true, false), ReplyTag.of(noCache));
    assertTrue(ReplyTag.of(new ReplyTag(7, false).toVerifier()).filtersDuplicates(),
        "a server that does not say otherwise (an older one too) filters them");
  }
}
