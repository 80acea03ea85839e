package org.onyxrpc.client;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.onyxrpc.internal.RateLimitedLog;

/**
 * Says why a client's TLS handshake failed in the words of its cause (an expired certificate,
 * another host's name, an authority the client does not trust, a server key that is not its
 * certificate's), found in the exception's causes.
 * The engines' own messages do not: OpenSSL's is "General OpenSslEngine problem" whatever
 * happened, the JDK's names its internal classes ("PKIX path building failed:
 * sun.security.provider.certpath.SunCertPathBuilderException: ...").
 */
final class HandshakeFailure {
  /** How deep a chain of causes is read: a cycle or a long chain ends there. */
  private static final int MAX_CAUSES = 16;
  /** Longest part of a cause's message quoted. */
  static final int MAX_MESSAGE = 200;

  private HandshakeFailure() {}

  /** Why the handshake that failed with {@code failure} failed, for a status message. */
  static String describe(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable t = failure; t != null && causes.size() < MAX_CAUSES && !causes.contains(t);
        t = t.getCause()) {
      causes.add(t);
    }
    for (int i = causes.size() - 1; i >= 0; i--) { // the deepest says most: its NotAfter date
      Throwable t = causes.get(i);
      if (t instanceof CertificateExpiredException
          || t instanceof CertPathValidatorException v
              && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
        return "the server's certificate has expired" + detail(t);
      }
      if (t instanceof CertificateNotYetValidException
          || t instanceof CertPathValidatorException v
              && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        return "the server's certificate is not valid yet" + detail(t);
      }
    }
    for (Throwable t : causes) {
      String message = String.valueOf(t.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.startsWith("no subject alternative") || lower.startsWith("no name matching")) {
        return "the server's certificate is not for the host name called (" + clip(message) + ")";
      }
      if (lower.contains("invalid certificateverify signature") || lower.contains("bad_signature")
          || lower.startsWith("invalid signature on")) {
        // The server signed with a key its certificate does not name: its key file is another's.
        return "the server's handshake signature does not match its certificate's public key: the"
            + " server's private key is not its certificate's (" + clip(message) + ")";
      }
      if (t instanceof CertPathBuilderException) {
        return "the server's certificate is not issued by an authority this client trusts";
      }
      if (t instanceof CertPathValidatorException v) {
        return "the server's certificate chain is not valid: " + v.getReason()
            + detail(v);
      }
      String limit = limit(message);
      if (limit != null) {
        return limit;
      }
    }
    return clip(String.valueOf(failure.getMessage()));
  }

  /**
   * The engines' limits on what the server sends in its handshake, which a long certificate chain
   * meets first, named with the setting that moves them: their own words say neither.
   */
  private static String limit(String message) {
    if (message.startsWith("The certificate chain length")) { // the JDK's: 10 by default
      return "the server's certificate chain is longer than this client takes: " + clip(message)
          + " (system property jdk.tls.maxCertificateChainLength)";
    }
    if (message.startsWith("The size of the handshake message")) { // the JDK's: 32768 by default
      return "a handshake message from the server is larger than this client takes, as a long"
          + " certificate chain is: " + clip(message) + " (system property"
          + " jdk.tls.maxHandshakeMessageSize)";
    }
    if (message.contains("EXCESSIVE_MESSAGE_SIZE")) { // OpenSSL's: 100 KiB for a certificate list
      return "a handshake message from the server is larger than this client takes, as a long"
          + " certificate chain is: " + clip(message) + " (for a certificate chain, Netty's"
          + " OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES)";
    }
    return null;
  }

  private static String detail(Throwable t) {
    return t.getMessage() == null ? "" : " (" + clip(t.getMessage()) + ")";
  }

  /**
   * The messages quote the server's certificate, which the server chose: cut them short, and
   * escape its control characters, since the status message reaches the caller's logs verbatim.
   */
  private static String clip(String message) {
    return RateLimitedLog.escaped(
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...");
  }
}
