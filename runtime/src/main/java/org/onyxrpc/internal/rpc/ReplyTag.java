package org.onyxrpc.internal.rpc;

import io.netty.buffer.Unpooled;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * What an Onyx server tells an Onyx client beyond RFC 5531, in the body of the reply's AUTH_NONE
 * verifier; sent only in answer to calls that carry a {@link CallTag}.
 *
 * <pre>
 * struct reply_tag {           // 16 bytes
 *   unsigned int magic;        // 0x4F4E5831, "ONX1"
 *   unsigned hyper epoch;      // random per server start: a new value means a restart
 *   unsigned int flags;        // bit 0: outcome unknown (with SYSTEM_ERR);
 *                              // bit 1: this server reads call metadata (see CallTag);
 *                              // bit 2: this server filters no duplicates (it keeps no
 *                              //        duplicate request cache)
 * };
 * </pre>
 *
 * <p>A client ignores the flags it does not know, so later bits cost older clients nothing. Bit 2
 * says what a server does not do, so that a server older than it, which always filtered, is still
 * taken at its word; an older client does not read it, and retransmits its at-most-once calls to
 * such a server as before.
 *
 * @param epoch the server's epoch, chosen at random when it started
 * @param outcomeUnknown set on the SYSTEM_ERR reply to a retransmitted at-most-once call whose
 *     first transmission the server cannot account for
 * @param readsMetadata whether the server reads the {@link org.onyxrpc.rpc.CallMetadata} of a
 *     {@link CallTag}
 * @param filtersDuplicates whether the server keeps a duplicate request cache, so that a tagged
 *     at-most-once call may be sent again; false for one built with {@code noDuplicateRequestCache}
 */
public record ReplyTag(long epoch, boolean outcomeUnknown, boolean readsMetadata,
    boolean filtersDuplicates) {
  private static final int BYTES = 16;
  private static final int OUTCOME_UNKNOWN = 1;
  private static final int READS_METADATA = 2;
  private static final int NO_DUPLICATE_FILTERING = 4;

  /** A tag from a server that reads call metadata and filters duplicates. */
  public ReplyTag(long epoch, boolean outcomeUnknown) {
    this(epoch, outcomeUnknown, true, true);
  }

  /** A tag from a server that filters duplicates. */
  public ReplyTag(long epoch, boolean outcomeUnknown, boolean readsMetadata) {
    this(epoch, outcomeUnknown, readsMetadata, true);
  }

  /** The verifier that carries this tag. */
  public OpaqueAuth toVerifier() {
    byte[] body = new byte[BYTES];
    XdrWriter out = new XdrWriter(Unpooled.wrappedBuffer(body).writerIndex(0));
    out.writeUnsignedInt(CallTag.MAGIC);
    out.writeUnsignedHyper(epoch);
    out.writeUnsignedInt((outcomeUnknown ? OUTCOME_UNKNOWN : 0) | (readsMetadata ? READS_METADATA : 0)
        | (filtersDuplicates ? 0 : NO_DUPLICATE_FILTERING));
    return new OpaqueAuth(OpaqueAuth.AUTH_NONE, body);
  }

  /** The tag in a reply's verifier, or null if the server sent none. */
  public static ReplyTag of(OpaqueAuth verifier) {
    byte[] body = verifier.body();
    if (verifier.flavor() != OpaqueAuth.AUTH_NONE || body.length != BYTES) {
      return null;
    }
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(body));
    try {
      if (in.readUnsignedInt() != CallTag.MAGIC) {
        return null;
      }
      long epoch = in.readUnsignedHyper();
      int flags = in.readUnsignedInt();
      return new ReplyTag(epoch, (flags & OUTCOME_UNKNOWN) != 0, (flags & READS_METADATA) != 0,
          (flags & NO_DUPLICATE_FILTERING) == 0);
    } catch (XdrException e) {
      return null;
    }
  }
}
