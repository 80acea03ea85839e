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

  RecordTooLongException(int xid, long size, int maxRecordBytes, String message) {
    super(message);
    this.xid = xid;
    this.size = size;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** What a record over the size limit is told as, its xid known or not. */
  static String message(long size, int maxRecordBytes) {
    return "a record of at least " + size + " bytes exceeds the maximum of " + maxRecordBytes;
  }

  /**
   * What a record mark that no ONC RPC peer would send says of the peer, or "": text (an SSH
   * banner, an HTTP request) or the start of a TLS record (a peer that expects TLS from its first
   * byte) makes a length far over any limit, which a larger limit would not cure. Only printable
   * ASCII is quoted.
   */
  static String notRpc(int header) {
    int first = header >>> 24;
    int second = (header >>> 16) & 0xFF;
    if ((first == 0x15 || first == 0x16) && second == 3) { // an alert or a handshake, TLS 1.x
      return " (the bytes read as its record mark begin a TLS record: does the peer expect TLS from its"
          + " first byte, not RPC-over-TLS's STARTTLS?)";
    }
    StringBuilder text = new StringBuilder(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      int b = (header >>> shift) & 0xFF;
      if (b < 0x20 || b > 0x7E) {
        return "";
      }
      text.append((char) b);
    }
    return " (the bytes read as its record mark are text, \"" + text + "\": is the peer ONC RPC?)";
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
