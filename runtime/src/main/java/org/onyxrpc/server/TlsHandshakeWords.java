package org.onyxrpc.server;

import javax.net.ssl.SSLHandshakeException;
import org.onyxrpc.internal.RateLimitedLog;

/**
 * What a failed TLS handshake means, for the server's log line, where the JDK's words name only
 * an alert or a field: "Received fatal alert: certificate_unknown" is the client refusing this
 * server's certificate, which an operator reads as the client's certificate being unknown.
 */
final class TlsHandshakeWords {
  private static final String RECEIVED = "Received fatal alert: ";

  private TlsHandshakeWords() {}

  /**
   * A decoder's complaint, cut short for the log: Netty's TLS decoder puts everything the peer
   * sent, in hex, into its message (up to a whole read, 128 KiB of text per line). A handshake
   * failure says whose certificate it was about ({@link #of}).
   */
  static String complaint(Throwable cause) {
    String handshake = of(cause);
    return handshake != null ? handshake : RateLimitedLog.shortMessage(cause);
  }

  /** The meaning of {@code failure} followed by the provider's words, or null if it is not one of these. */
  static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException handshake && handshake.getMessage() != null) {
        String words = handshake.getMessage();
        String meaning = meaning(words);
        return meaning == null ? null : meaning + " (" + words + ")";
      }
    }
    return null;
  }

  private static String meaning(String words) {
    if (words.equals("Empty client certificate chain")) {
      return "TLS handshake failed: the client sent no certificate, and this server requires one";
    }
    if (!words.startsWith(RECEIVED)) {
      return null;
    }
    return switch (words.substring(RECEIVED.length())) {
      case "certificate_unknown", "bad_certificate", "unknown_ca", "certificate_expired",
          "unsupported_certificate", "certificate_revoked" ->
          "TLS handshake failed: the client refused this server's certificate (is it issued by an"
              + " authority the client trusts, for the name the client called, and within its dates?)";
      // A client that cannot verify this server's signature sends decrypt_error (RFC 8446) or, the
      // JDK's, handshake_failure: the likely cause is a key file that is another certificate's.
      case "decrypt_error" -> "TLS handshake failed: the client could not verify this server's"
          + " handshake signature (is this server's private key its certificate's?)";
      case "handshake_failure" -> "TLS handshake failed: the client gave the handshake up (it found"
          + " no protocol version or cipher suite it shares with this server, or could not verify"
          + " this server's handshake signature: is this server's private key its certificate's?)";
      default -> null;
    };
  }
}
