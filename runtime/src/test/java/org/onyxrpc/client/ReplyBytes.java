package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * Reply bytes as a hostile server writes them by hand (records, headers, words), and how a call
 * answered with them must fail.
 */
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

  /** Fails the call the way it must: refused, promptly, and never claiming it did not run. */
  static RpcException refused(RpcClient client) {
    RpcException e = assertThrows(RpcException.class,
        () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
    assertNotEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    assertNotEquals(RpcStatus.TIMEOUT, e.status(), e.getMessage());
    return e;
  }
}
