package org.onyxrpc.internal.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * What an Onyx client tells an Onyx server about a call beyond RFC 5531, carried in the body of
 * the call's AUTH_NONE verifier. RFC 5531 §8.2 leaves that body undefined and libtirpc ignores
 * it, so C servers accept these calls unchanged, and calls from C clients simply have no tag.
 *
 * <pre>
 * struct call_tag {            // 36 bytes
 *   unsigned int magic;        // 0x4F4E5831, "ONX1"
 *   unsigned int flags;        // bit 0: at-most-once requested
 *   opaque client_id[16];      // random per client, stable across reconnects
 *   unsigned int attempt;      // 1 for the first transmission
 *   unsigned hyper epoch;      // the server epoch the client knew at the first transmission; 0: none
 * };
 * </pre>
 *
 * @param clientHigh high 64 bits of the client id
 * @param clientLow low 64 bits of the client id
 * @param atMostOnce whether the server must filter duplicates of this call
 * @param attempt 1 for the first transmission, then 2, 3, …
 * @param epoch the server epoch (see {@link ReplyTag}) the client knew when it first sent the call
 */
public record CallTag(long clientHigh, long clientLow, boolean atMostOnce, int attempt, long epoch) {
  /** "ONX1": marks a verifier body as an Onyx tag. */
  public static final int MAGIC = 0x4F4E5831;
  private static final int BYTES = 36;

  /** The verifier that carries this tag. */
  public OpaqueAuth toVerifier() {
    ByteBuf buf = Unpooled.buffer(8 + BYTES);
    writeVerifier(new XdrWriter(buf), clientHigh, clientLow, atMostOnce, attempt, epoch);
    return OpaqueAuth.decode(new XdrReader(buf));
  }

  /** Writes a tag as an opaque_auth straight into a call header, allocating nothing. */
  public static void writeVerifier(XdrWriter out, long clientHigh, long clientLow,
      boolean atMostOnce, int attempt, long epoch) {
    out.writeEnum(OpaqueAuth.AUTH_NONE);
    out.writeUnsignedInt(BYTES);
    out.writeUnsignedInt(MAGIC);
    out.writeUnsignedInt(atMostOnce ? 1 : 0);
    out.writeHyper(clientHigh);
    out.writeHyper(clientLow);
    out.writeUnsignedInt(attempt);
    out.writeUnsignedHyper(epoch);
  }

  /** The tag in a call's verifier, or null for calls that carry none (C clients, say). */
  public static CallTag of(OpaqueAuth verifier) {
    byte[] body = verifier.body();
    if (verifier.flavor() != OpaqueAuth.AUTH_NONE || body.length != BYTES) {
      return null;
    }
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(body));
    try {
      if (in.readUnsignedInt() != MAGIC) {
        return null;
      }
      boolean atMostOnce = (in.readUnsignedInt() & 1) != 0;
      return new CallTag(in.readHyper(), in.readHyper(), atMostOnce, in.readUnsignedInt(),
          in.readUnsignedHyper());
    } catch (XdrException e) {
      return null;
    }
  }
}
