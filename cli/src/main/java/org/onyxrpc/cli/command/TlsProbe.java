package org.onyxrpc.cli.command;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Asks a TCP server whether it takes RPC-over-TLS, as RFC 9289's client does before TLS: a NULL
 * call with an AUTH_TLS credential, which a server with TLS answers with the STARTTLS verifier.
 * Only to word a refusal truthfully: AUTH_TOOWEAK does not say what the server wants, and a
 * server that answers the probe is one that takes TLS. The connection is closed after the reply,
 * before any handshake.
 */
final class TlsProbe {
  private TlsProbe() {}

  private static final int AUTH_TLS = 7;
  private static final byte[] STARTTLS = "STARTTLS".getBytes(StandardCharsets.US_ASCII);
  /** The reply's header up to the verifier's body: xid, REPLY, MSG_ACCEPTED, flavor, length. */
  private static final int HEADER = 20;

  /**
   * Whether the server at {@code server} answers the probe to {@code program}/{@code version}
   * with STARTTLS; false when it answers otherwise, or not within {@code timeout}, or cannot be
   * reached.
   */
  static boolean offersTls(InetSocketAddress server, int program, int version, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(server, millis);
      socket.setSoTimeout(millis);
      int xid = ThreadLocalRandom.current().nextInt();
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(0x80000000 | 40); // the last (only) fragment, 40 bytes
      for (int word : new int[] {xid, 0, 2, program, version, 0, AUTH_TLS, 0, 0, 0}) {
        out.writeInt(word); // CALL, RPC version 2, NULL; AUTH_TLS with no body; AUTH_NONE verifier
      }
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int mark = in.readInt();
      if ((mark & 0x7FFFFFFF) < HEADER + STARTTLS.length) {
        return false;
      }
      boolean header = in.readInt() == xid && in.readInt() == 1 && in.readInt() == 0
          && in.readInt() == 0 && in.readInt() == STARTTLS.length;
      byte[] body = new byte[STARTTLS.length];
      in.readFully(body);
      return header && Arrays.equals(body, STARTTLS);
    } catch (IOException | RuntimeException e) {
      return false; // not known to take TLS: the hint says so
    }
  }
}
