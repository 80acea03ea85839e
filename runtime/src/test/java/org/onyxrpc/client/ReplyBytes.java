package org.onyxrpc.client;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** Reply bytes as a hostile server writes them by hand: records, headers, words. */
final class ReplyBytes {
  /** The record mark's last-fragment bit. */
  static final int LAST = 0x8000_0000;

  private ReplyBytes() {}

  /** A record of one last fragment holding {@code body}. */
  static byte[] record(byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeInt(LAST | body.length);
      out.write(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** An accepted reply's header (AUTH_NONE verifier), then {@code words}. */
  static byte[] accepted(int xid, int acceptStat, int... words) {
    int[] header = {xid, 1, 0, 0, 0, acceptStat};
    int[] all = Arrays.copyOf(header, header.length + words.length);
    System.arraycopy(words, 0, all, header.length, words.length);
    return ints(all);
  }

  /** {@code words} as XDR's big-endian 4-byte words. */
  static byte[] ints(int... words) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      for (int w : words) {
        out.writeInt(w);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }
}
