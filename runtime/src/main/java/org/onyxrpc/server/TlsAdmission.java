package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server with TLS does with a call that came without it: the AUTH_TLS probe of RFC 9289
 * is answered STARTTLS and its connection starts TLS; under {@link TlsMode#REQUIRE} any other
 * call across a network is refused AUTH_TOOWEAK; the rest are left to run.
 */
final class TlsAdmission {
  // The call processor's logger, as before this was a class of its own: logging configured for
  // the server's refusals keeps seeing them.
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);
  /** RFC 9289 §4.1: the verifier that tells a client to start TLS. */
  private static final OpaqueAuth STARTTLS = new OpaqueAuth(OpaqueAuth.AUTH_NONE,
      "STARTTLS".getBytes(StandardCharsets.US_ASCII));

  private final TlsMode mode;
  private final LongAdder calls;
  private final ProcedureRunner runner;
  private final RateLimitedLog plaintextRefused = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  /** {@code calls} counts the probes answered, as the server's calls; {@code runner} writes refusals. */
  TlsAdmission(TlsMode mode, LongAdder calls, ProcedureRunner runner) {
    this.mode = mode;
    this.calls = calls;
    this.runner = runner;
  }

  /**
   * True if the call was answered for want of TLS: the STARTTLS probe (after which the
   * connection starts TLS), or AUTH_TOOWEAK for a plaintext call a server that requires TLS will
   * not run.
   */
  boolean answered(CallHeader call, ReplySink sink) {
    // TLS guards calls on their way across a network. A Unix-domain call never leaves the machine
    // (the kernel names its caller) and an in-process one never leaves the JVM: REQUIRE leaves
    // them be, as MySQL's require_secure_transport and Docker's tlsverify leave the local socket.
    if (sink.tls() || local(sink.transport())) {
      return false;
    }
    if (call.procedure() == 0 && call.credential().flavor() == OpaqueAuth.AUTH_TLS
        && sink.mayStartTls()) {
      calls.increment();
      ByteBuf reply = sink.newReply();
      writeStartTls(reply, call.xid());
      sink.startTls(reply, call.xid());
      return true;
    }
    if (mode == TlsMode.REQUIRE) {
      // Programs in hex, as everywhere else in the logs and messages (ProgramVersion.describe).
      plaintextRefused.warn(LOG, "refusing a call to {} from {} over {}: {}",
          ProgramVersion.describe(call.program(), call.version()), sink.remoteAddress(), sink.transport().netid(), sink.transport() == Transport.UDP
              ? "this server requires TLS, and UDP has none (no DTLS): AUTH_TOOWEAK"
              : "this server requires TLS, and the client did not start it: AUTH_TOOWEAK");
      ByteBuf reply = sink.newReply();
      runner.writeError(reply, ReplyHeader.authError(call.xid(), AuthStatus.AUTH_TOOWEAK));
      sink.send(reply);
      return true;
    }
    return false;
  }

  /** Writes the STARTTLS reply to the probe {@code xid} into {@code reply}. */
  static void writeStartTls(ByteBuf reply, int xid) {
    RpcMessages.writeSuccessHeader(new XdrWriter(reply), xid, STARTTLS);
  }

  /** True for the transports whose calls cross no network: Unix-domain and in-process. */
  private static boolean local(Transport transport) {
    return transport == Transport.UNIX || transport == Transport.IN_PROCESS;
  }
}
