package org.onyxrpc.client;

import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Recognises a TLS server refusing the client's side of the handshake after the client has
 * finished it, as TLS 1.3 allows: the server checks the client's certificate only once the
 * client has sent its Finished (and perhaps a call behind it), and answers with a fatal alert.
 * Such an alert comes from the handshake, so the server read no call on that connection.
 */
final class TlsRefusal {
  /**
   * The alerts a server sends about the client's credentials or the handshake (RFC 8446 §6.2),
   * as the TLS engines word them once lower-cased with spaces for underscores: the JDK's
   * "Received fatal alert: certificate_required", BoringSSL's "TLSV1_ALERT_CERTIFICATE_REQUIRED",
   * OpenSSL's "tlsv13 alert certificate required" (each names an alert it received).
   */
  private static final List<String> REFUSALS = List.of("certificate required", "bad certificate",
      "unsupported certificate", "certificate revoked", "certificate expired",
      "certificate unknown", "unknown ca", "access denied", "handshake failure");

  private TlsRefusal() {}

  /** The alert that {@code failure} reports the server sent, if it is a refusal; else null. */
  static String of(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SSLException && t.getMessage() != null) {
        String text = t.getMessage().toLowerCase(Locale.ROOT).replace('_', ' ');
        for (String alert : REFUSALS) {
          if (text.contains("alert " + alert) || text.contains("alert: " + alert)) {
            return alert.replace(' ', '_');
          }
        }
      }
    }
    return null;
  }
}
