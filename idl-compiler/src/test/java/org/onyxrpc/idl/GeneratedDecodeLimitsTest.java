package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;

/**
 * A finding of {@link GeneratedDecodeFuzzTest}: 496 bytes, a tree of pairs through the union
 * {@code shape} about 30 deep with labels that are not UTF-8, made the fuzz test measure 146 KB.
 * The decode took 2.7 KB of it; the rest was the test's own checks, chiefly the tree's {@code
 * toString}, which copies each level's text into the one above. But the decode charged only 792
 * bytes against {@link XdrLimits#maxDecodedBytes} for those 2.7 KB: the records generated codecs
 * build (each pair, each union arm) were not counted, so a server's limits saw a third of what
 * its peers made it hold.
 */
class GeneratedDecodeLimitsTest {
  private static final XdrCodec<Object> SHAPE = GeneratedDecodeFuzzTest.compiled("shape").get(0);

  private static byte[] finding() {
    try {
      return Files.readAllBytes(Golden.resources()
          .resolve("org/onyxrpc/idl/GeneratedDecodeFuzzTestInputs/decode/pair-tree-with-invalid-utf8"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theFindingDecodesWithinAFewBytesPerInputByte() {
    byte[] input = finding();
    Allocations.bounded(input.length, 32, () -> assertNotNull(
        GeneratedDecodeFuzzTest.decodeOrNull(SHAPE, input, XdrLimits.DEFAULT)));
  }

  @Test
  void theDecodeChargesWhatItAllocates() {
    GeneratedDecodeFuzzTest.assertChargesWhatItAllocates(SHAPE, finding(), XdrLimits.DEFAULT);
  }

  @Test
  void aLimitUnderWhatTheValuesTakeRefusesThem() {
    byte[] input = finding();
    // Twice the input: above the 792 bytes charged before, below the 2.7 KB the values take.
    XdrLimits limits = new XdrLimits(XdrLimits.DEFAULT_MAX_DEPTH, 2L * input.length);
    XdrException refused = assertThrows(XdrException.class,
        () -> new XdrReader(Unpooled.wrappedBuffer(input), limits).readWhole(SHAPE));
    assertEquals("decoded values would take more than the " + limits.maxDecodedBytes()
        + " bytes allowed for one message", refused.getMessage());
  }

  @Test
  void aServerAnswersGarbageArgsWhenTheValuesWouldTakeMoreThanItsLimit() throws Exception {
    byte[] input = finding();
    int program = 0x20000301;
    Procedure<Object, Integer> take =
        new Procedure<>(program, 1, 1, "Limits.take", SHAPE, XdrCodecs.INT);
    RpcServer server = TestTransport.server()
        .maxDecodedBytes(2L * input.length)
        .addService(ServiceDefinition.builder(program, 1).procedure(take, (shape, ctx) -> 1).build())
        .build()
        .start();
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(RawTcpPeer.call(1, 2, program, 1, 1, OpaqueAuth.NONE, input));
      assertEquals(ReplyHeader.accepted(1, RpcStatus.GARBAGE_ARGS), peer.readReply());
    } finally {
      assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
    }
  }
}
