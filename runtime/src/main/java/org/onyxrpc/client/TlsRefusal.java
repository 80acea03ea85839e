package org.onyxrpc.client;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
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

  /**
   * What a refusal adds about the certificate this client sent, or empty when there is nothing
   * to add or it cannot be known (an engine whose session is gone).
   *
   * <p>When it sent none: the server's alert (the JDK's {@code bad_certificate}, BoringSSL's
   * {@code certificate_required}) does not say that it wanted one, and a user who gave none
   * reads "bad certificate" as blaming the one it does not have. A client that has a
   * certificate sends none when the server names the authorities it trusts and the
   * certificate's issuer is not among them, hence "issued by an authority it trusts".
   *
   * <p>When the one it sent is out of its validity (expired, or not valid yet): the server says
   * no more than {@code certificate_unknown} (the JDK) or {@code certificate_expired}, and does
   * not say whose; this client's own certificate is read here, which costs a date comparison,
   * on the event loop, only when a session was refused.
   */
  static String ownCertificate(SslHandler ssl) {
    if (ssl == null) {
      return "";
    }
    Certificate[] own = localCertificates(ssl);
    if (own == null) {
      return ""; // an engine whose session is gone: the alert alone says what is known
    }
    if (own.length == 0) {
      return " (this client sent no certificate: the server may require one, issued by an"
          + " authority it trusts)";
    }
    String outOfDate = own[0] instanceof X509Certificate leaf ? outOfDate(leaf, Instant.now()) : null;
    return outOfDate == null ? "" : " (" + outOfDate + ")";
  }

  /**
   * Whether this client sent a certificate in the handshake {@code ssl} has done; false when it
   * cannot be known (an engine whose session is gone).
   */
  static boolean sentCertificate(SslHandler ssl) {
    Certificate[] own = localCertificates(ssl);
    return own != null && own.length > 0;
  }

  /** The certificates this client sent in the session, empty if none; null if it cannot be known. */
  private static Certificate[] localCertificates(SslHandler ssl) {
    try {
      Certificate[] own = ssl.engine().getSession().getLocalCertificates();
      return own == null ? new Certificate[0] : own;
    } catch (RuntimeException e) {
      return null; // an engine whose session is gone
    }
  }

  /**
   * Why {@code leaf}, this client's certificate, is not valid at {@code now}, or null if it is:
   * its dates are this client's own, not the server's, so they are not clipped.
   */
  static String outOfDate(X509Certificate leaf, Instant now) {
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      return "this client's certificate expired at " + notAfter + " (NotAfter)";
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    if (now.isBefore(notBefore)) {
      return "this client's certificate is not valid before " + notBefore + " (NotBefore)";
    }
    return null;
  }

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
