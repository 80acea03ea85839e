package org.onyxrpc.internal.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.onyxrpc.rpc.CallMetadata;
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
 * struct call_tag {            // 36 bytes; more with metadata
 *   unsigned int magic;        // 0x4F4E5831, "ONX1"
 *   unsigned int flags;        // bit 0: at-most-once requested; bit 1: metadata follows
 *   opaque client_id[16];      // random per client, stable across reconnects
 *   unsigned int attempt;      // 1 for the first transmission
 *   unsigned hyper epoch;      // the server epoch the client knew at the first transmission; 0: none
 *   metadata_entry metadata&lt;16&gt;; // only with flags bit 1 (see CallMetadata)
 * };
 * struct metadata_entry {
 *   string key&lt;64&gt;;
 *   string value&lt;256&gt;;
 * };
 * </pre>
 *
 * <p>Metadata came later than the fixed 36 bytes, and a server that predates it takes a longer
 * body for no tag at all; so a client adds metadata only to the calls it sends to a server whose
 * {@link ReplyTag} said it reads metadata (flags bit 1). Such a server takes a 36-byte tag as
 * before, so each side may be older than the other.
 *
 * @param clientHigh high 64 bits of the client id
 * @param clientLow low 64 bits of the client id
 * @param atMostOnce whether the server must filter duplicates of this call
 * @param attempt 1 for the first transmission, then 2, 3, …
 * @param epoch the server epoch (see {@link ReplyTag}) the client knew when it first sent the call
 * @param metadata the call's metadata, or null if it carries none
 */
public record CallTag(long clientHigh, long clientLow, boolean atMostOnce, int attempt, long epoch,
    CallMetadata metadata) {
  /** "ONX1": marks a verifier body as an Onyx tag. */
  public static final int MAGIC = 0x4F4E5831;
  private static final int BYTES = 36;
  private static final int AT_MOST_ONCE = 1;
  private static final int HAS_METADATA = 2;
  /** The record's components, charged for each tag decoded. */
  private static final int FIELDS = 6;
  /**
   * What reading a tag makes besides the tag: the buffer that wraps its body and its reader,
   * charged as an object of this many fields (128 bytes; about 100 on a 64-bit JVM).
   */
  private static final int READ_FIELDS = 14;

  /** A tag without metadata. */
  public CallTag(long clientHigh, long clientLow, boolean atMostOnce, int attempt, long epoch) {
    this(clientHigh, clientLow, atMostOnce, attempt, epoch, null);
  }

  /** The verifier that carries this tag. */
  public OpaqueAuth toVerifier() {
    ByteBuf buf = Unpooled.buffer(8 + OpaqueAuth.MAX_BODY);
    writeVerifier(new XdrWriter(buf), clientHigh, clientLow, atMostOnce, attempt, epoch, metadata);
    return OpaqueAuth.decode(new XdrReader(buf));
  }

  /** Writes a tag as an opaque_auth straight into a call header, allocating nothing. */
  public static void writeVerifier(XdrWriter out, long clientHigh, long clientLow,
      boolean atMostOnce, int attempt, long epoch) {
    writeVerifier(out, clientHigh, clientLow, atMostOnce, attempt, epoch, null);
  }

  /**
   * Writes a tag with {@code metadata} (none if null or empty); only for a server that said it
   * reads metadata.
   */
  public static void writeVerifier(XdrWriter out, long clientHigh, long clientLow,
      boolean atMostOnce, int attempt, long epoch, CallMetadata metadata) {
    boolean withMetadata = metadata != null && !metadata.isEmpty();
    out.writeEnum(OpaqueAuth.AUTH_NONE);
    out.writeUnsignedInt(BYTES + (withMetadata ? metadata.encodedBytes() : 0));
    out.writeUnsignedInt(MAGIC);
    out.writeUnsignedInt((atMostOnce ? AT_MOST_ONCE : 0) | (withMetadata ? HAS_METADATA : 0));
    out.writeHyper(clientHigh);
    out.writeHyper(clientLow);
    out.writeUnsignedInt(attempt);
    out.writeUnsignedHyper(epoch);
    if (withMetadata) {
      metadata.encode(out);
    }
  }

  /** The tag in a verifier, or null if it carries none; read within the default limits. */
  public static CallTag of(OpaqueAuth verifier) {
    return of(verifier, new XdrReader(Unpooled.EMPTY_BUFFER));
  }

  /**
   * The tag in a call's verifier, or null for calls that carry none (C clients, say) or a body
   * that is no tag this server can trust. What the tag and its metadata allocate (up to about 3
   * KB) is charged to {@code call}, the reader of the call it came in, so that it counts toward
   * the call's limits and the server's budget for calls in flight.
   *
   * @param verifier the call's verifier
   * @param call the reader of the call's message, charged for the tag
   * @return the tag, or null
   * @throws XdrException if {@code call}'s limits leave no room for the tag
   */
  public static CallTag of(OpaqueAuth verifier, XdrReader call) {
    byte[] body = verifier.body();
    if (verifier.flavor() != OpaqueAuth.AUTH_NONE || body.length < BYTES) {
      return null;
    }
    call.countObject(READ_FIELDS);
    try {
      return call.readEmbedded(Unpooled.wrappedBuffer(body), CallTag::decode);
    } catch (XdrException e) {
      if (call.decodedBytes() > call.limits().maxDecodedBytes()) {
        throw e; // no room for it: a call the server cannot take now, not an untagged one
      }
      return null;
    }
  }

  private static CallTag decode(XdrReader in) {
    if (in.readUnsignedInt() != MAGIC) {
      return null;
    }
    int flags = in.readUnsignedInt();
    long clientHigh = in.readHyper();
    long clientLow = in.readHyper();
    int attempt = in.readUnsignedInt();
    long epoch = in.readUnsignedHyper();
    boolean withMetadata = (flags & HAS_METADATA) != 0;
    if (withMetadata != (in.remaining() > 0)) {
      return null; // a length that contradicts the flags: not a tag this server can trust
    }
    CallMetadata metadata = withMetadata ? CallMetadata.decode(in) : null;
    if (in.remaining() != 0) {
      return null;
    }
    in.countObject(FIELDS);
    return new CallTag(clientHigh, clientLow, (flags & AT_MOST_ONCE) != 0, attempt, epoch,
        metadata);
  }
}
