package org.onyxrpc.internal.transport;

import io.netty.handler.codec.TooLongFrameException;

/**
 * A record over the size limit whose xid had arrived (RFC 5531 §9: every message begins with
 * one): a client can then end the call it answers rather than retransmit it, which would only
 * have the server run it again and send the same reply.
 */
public final class RecordTooLongException extends TooLongFrameException {
  private static final long serialVersionUID = 1L;

  private final int xid;
  private final long size;
  private final int maxRecordBytes;

  RecordTooLongException(int xid, long size, int maxRecordBytes) {
    super(message(size, maxRecordBytes));
    this.xid = xid;
    this.size = size;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** What a record over the size limit is told as, its xid known or not. */
  static String message(long size, int maxRecordBytes) {
    return "a record of at least " + size + " bytes exceeds the maximum of " + maxRecordBytes;
  }

  /** The xid the record begins with. */
  public int xid() {
    return xid;
  }

  /** The least size of the record, as counted against the limit. */
  public long size() {
    return size;
  }

  /** The limit it exceeds. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }
}
