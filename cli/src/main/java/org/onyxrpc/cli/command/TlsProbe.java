package org.onyxrpc.cli.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Asks a TCP server whether it takes RPC-over-TLS, as RFC 9289's client does before TLS: a NULL
 * call with an AUTH_TLS credential, which a server with TLS answers with the STARTTLS verifier.
 * Only to word a refusal truthfully: AUTH_TOOWEAK does not say what the server wants, and a
 * server that answers the probe is one that takes TLS. The connection is closed after the reply,
 * before any handshake.
 */
final class TlsProbe {
  private TlsProbe() {}

  private static final byte[] STARTTLS = "STARTTLS".getBytes(StandardCharsets.US_ASCII);
  /** More than any answer to a NULL call: a reply claiming more is not the STARTTLS one. */
  private static final int MOST_REPLY_BYTES = 1024;

  /**
   * Whether the server at {@code server} answers the probe to {@code program}/{@code version}
   * with STARTTLS; false when it answers otherwise, or not within {@code timeout}, or cannot be
   * reached.
   */
  static boolean offersTls(InetSocketAddress server, int program, int version, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    int xid = ThreadLocalRandom.current().nextInt();
    ByteBuf probe = Unpooled.buffer();
    int mark = RecordMarking.begin(probe);
    RpcMessages.writeCall(new XdrWriter(probe), new CallHeader(xid, RpcMessages.RPC_VERSION, program,
        version, 0, new OpaqueAuth(OpaqueAuth.AUTH_TLS, new byte[0]), OpaqueAuth.NONE));
    RecordMarking.end(probe, mark);
    try (Socket socket = new Socket()) {
      socket.connect(server, millis);
      socket.setSoTimeout(millis);
      socket.getOutputStream().write(probe.array(), probe.arrayOffset(), probe.readableBytes());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int header = in.readInt();
      int length = header & RecordMarking.LENGTH_MASK;
      if ((header & RecordMarking.LAST_FRAGMENT) == 0 || length > MOST_REPLY_BYTES) {
        return false; // a TLS server's first bytes, or no reply to a NULL call
      }
      byte[] record = new byte[length];
      in.readFully(record);
      ReplyHeader reply = RpcMessages.readReply(new XdrReader(Unpooled.wrappedBuffer(record)));
      return reply.xid() == xid && reply.status() == RpcStatus.SUCCESS
          && reply.verifier().flavor() == OpaqueAuth.AUTH_NONE
          && Arrays.equals(reply.verifier().body(), STARTTLS);
    } catch (IOException | RuntimeException e) {
      return false; // not known to take TLS: the hint says so
    }
  }
}
