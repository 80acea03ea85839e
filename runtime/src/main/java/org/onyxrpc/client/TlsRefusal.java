package org.onyxrpc.client;

import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Recognises a TLS server refusing the client's side of the handshake after the client has
 * finished it, as TLS 1.3 allows: the server checks the client's certificate only once the
 * client has sent its Finished (and perhaps a call behind it), and answers with a fatal alert.
 * Such an alert comes from the handshake, so the server read no call on that connection.
 */
final class TlsRefusal {
  /** The alerts a server sends about the client's credentials or the handshake (RFC 8446 §6.2). */
  private static final Set<String> REFUSALS = Set.of("certificate_required", "bad_certificate",
      "unsupported_certificate", "certificate_revoked", "certificate_expired",
      "certificate_unknown", "unknown_ca", "access_denied", "handshake_failure");
  /** How the JDK's TLS engine words an alert it received (it says "Received fatal alert: x"). */
  private static final String RECEIVED = "Received fatal alert: ";

  private TlsRefusal() {}

  /** The alert that {@code failure} reports the server sent, if it is a refusal; else null. */
  static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException && t.getMessage() != null) {
        int at = t.getMessage().indexOf(RECEIVED);
        if (at >= 0) {
          String alert = t.getMessage().substring(at + RECEIVED.length()).trim();
          return REFUSALS.contains(alert) ? alert : null;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
