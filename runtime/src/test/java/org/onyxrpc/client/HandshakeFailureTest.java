package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The causes' messages a failed handshake quotes come from the server's certificate (its names,
 * its dates' wording) or from what the server sent: escaped and cut short. Before, control
 * characters went into the call's status message, and so into the caller's log, as they came.
 */
class HandshakeFailureTest {
  /** A name with a line break and a terminal escape, as a hostile server's certificate may hold. */
  private static final String HOSTILE = "evil.example\nWARN forged line\u001b[2J\u2028";

  @Test
  void anotherHostsNamesAreEscaped() {
    String why = HandshakeFailure.describe(new SSLHandshakeException(
        "No subject alternative DNS name matching " + HOSTILE + " found."));
    assertEquals("the server's certificate is not for the host name called (No subject alternative"
        + " DNS name matching evil.example\\x0aWARN forged line\\x1b[2J\\u2028 found.)", why);
  }

  @Test
  void anExpiredCertificatesDetailIsEscaped() {
    SSLHandshakeException failure = new SSLHandshakeException("validity check failed");
    failure.initCause(new CertificateExpiredException("NotAfter: " + HOSTILE));
    String why = HandshakeFailure.describe(failure);
    assertEquals("the server's certificate has expired (NotAfter: evil.example\\x0aWARN forged"
        + " line\\x1b[2J\\u2028)", why);
  }

  @Test
  void anyOtherMessageIsEscapedAndCutShort() {
    String why = HandshakeFailure.describe(new SSLHandshakeException(
        HOSTILE + "x".repeat(10_000)));
    assertTrue(why.startsWith("evil.example\\x0aWARN forged line\\x1b[2J\\u2028xxx"), why);
    assertTrue(why.endsWith("..."), why);
    assertTrue(why.length() < 2 * HandshakeFailure.MAX_MESSAGE, why);
    assertFalse(why.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028'), why);
  }
}
