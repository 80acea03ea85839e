package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.transport.Transport;

/** Which calls the duplicate request cache can recognise when they come again, and by what. */
final class CallKeys {
  private CallKeys() {}

  /**
   * The cache key of an at-most-once call, or null if it runs as often as it arrives: a tagged
   * call by its client's id and xid; an untagged one (a C client's) only over UDP, by address
   * and xid. Both also by program, version, procedure and a digest of the call itself: its
   * credential and its argument bytes (from {@code argumentsStart} to the end of {@code
   * message}). A client id, an address and an xid can all be learnt or forged; so a call under
   * another credential, or with other arguments, is another call, and never answered with, nor
   * saved over, the reply of the call whose id and xid it took. And by who the connection vouches
   * the caller is ({@link ReplySink#callerIdentity}): a replay skips interceptors, so it goes only
   * to a caller with the same TLS certificate (or none, or plaintext) or Unix-domain user.
   */
  static DuplicateRequestCache.Key of(ServerMethod<?, ?> method, CallHeader call, CallTag tag,
      ReplySink sink, ByteBuf message, int argumentsStart) {
    if (method.oneway()) {
      return null;
    }
    if (tag != null) {
      return tag.atMostOnce()
          ? new DuplicateRequestCache.Key(tag.clientHigh(), tag.clientLow(), null, call.xid(),
              call.program(), call.version(), call.procedure(),
              digest(call, message, argumentsStart, sink.callerIdentity()))
          : null;
    }
    // A C client retransmits over UDP with the same xid from the same port; over TCP it
    // reconnects from a new port, where no key can follow it.
    if (sink.transport() == Transport.UDP
        && method.procedure().semantics() == CallSemantics.AT_MOST_ONCE) {
      return new DuplicateRequestCache.Key(0, 0, sink.remoteAddress(), call.xid(),
          call.program(), call.version(), call.procedure(),
          digest(call, message, argumentsStart, sink.callerIdentity()));
    }
    return null;
  }

  /**
   * What tells a retransmission from another call with the same key: who the connection vouches
   * the caller is (high 32 bits, {@link CallerIdentity}, which no peer can steer; they held the
   * call's length before, which the CRC covers) and a CRC-32C of the credential (flavor, length,
   * body) and the arguments (low 32 bits). Not the verifier: an Onyx client's call tag in it counts
   * the attempts. Like Linux nfsd's checksum, the CRC tells calls apart, not a forger who knows
   * the call it imitates (CRC-32C is linear); a peer that does not know a call's credential and
   * arguments matches it by chance, one in 2^32. The caller shares this long rather than taking a
   * field of the key, which would make every at-most-once call's key 8 bytes larger. The whole
   * call is hashed, as CRC-32C costs little beside decoding the same bytes (by hand: some 30 µs
   * for 1 MiB).
   */
  private static long digest(CallHeader call, ByteBuf message, int argumentsStart, int caller) {
    int length = message.writerIndex() - argumentsStart;
    byte[] credential = call.credential().body();
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putInt(call.credential().flavor())
        .putInt(credential.length).flip());
    crc.update(credential);
    for (ByteBuffer part : message.nioBuffers(argumentsStart, length)) {
      crc.update(part);
    }
    return (long) caller << 32 | crc.getValue();
  }
}
