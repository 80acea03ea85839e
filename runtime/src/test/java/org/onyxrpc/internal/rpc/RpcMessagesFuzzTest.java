package org.onyxrpc.internal.rpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;

/**
 * Any bytes as an RPC call or reply header (with their credentials and verifiers, AUTH_SYS and
 * Onyx's tags among them): a header or an {@link XdrException}, nothing else, and no allocation
 * beyond a small multiple of the bytes. Corpus: {@code
 * src/test/resources/org/onyxrpc/internal/rpc/RpcMessagesFuzzTestInputs}.
 */
class RpcMessagesFuzzTest {
  @FuzzTest
  void parseCall(byte[] input) {
    Allocations.bounded(input.length, 32, () -> {
      try {
        CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(input)));
        CallTag.of(call.verifier());
        Credentials.of(call.credential()); // AUTH_SYS bodies are parsed here
      } catch (XdrException expected) {
        // malformed: the server drops it
      }
    });
  }

  @FuzzTest
  void parseReply(byte[] input) {
    Allocations.bounded(input.length, 32, () -> {
      try {
        ReplyHeader reply = RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(input)));
        ReplyTag.of(reply.verifier());
      } catch (XdrException expected) {
        // malformed: the client fails the call it answers, or drops it
      }
    });
  }
}
