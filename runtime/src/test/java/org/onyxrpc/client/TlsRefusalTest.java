package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.DecoderException;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.tls.TestCertificates;

/** Each TLS engine's words for an alert the server sent about the client's certificate. */
class TlsRefusalTest {
  @Test
  void theEnginesWordingsOfAReceivedRefusalAreRecognised() {
    assertEquals("certificate_required", TlsRefusal.of(new DecoderException(
        new SSLHandshakeException("Received fatal alert: certificate_required"))));
    assertEquals("certificate_required", TlsRefusal.of(new SSLException(
        "error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED")));
    assertEquals("bad_certificate", TlsRefusal.of(new SSLException(
        "error:0A000412:SSL routines::sslv3 alert bad certificate")));
    assertEquals("unknown_ca", TlsRefusal.of(new SSLException(
        "error:0A000418:SSL routines::tlsv1 alert unknown ca")));
  }

  @Test
  void otherFailuresAreNoRefusal() {
    // An alert about the records, which may come after calls were read.
    assertNull(TlsRefusal.of(new SSLException("Received fatal alert: bad_record_mac")));
    // The client's own refusal of the server, decided before any call is written.
    assertNull(TlsRefusal.of(new SSLHandshakeException("PKIX path building failed")));
    // Not TLS at all.
    assertNull(TlsRefusal.of(new java.io.IOException("Connection reset by peer")));
    assertNull(TlsRefusal.of(new SSLException((String) null)));
  }

  /** A client certificate out of its dates is named, either side of them; within, nothing. */
  @Test
  void theClientsOwnCertificateOutOfItsDatesIsNamed(@TempDir Path dir) throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.KeyPair alice = certs.client(certs.authority("ca"), "alice");
    X509Certificate leaf;
    try (InputStream in = new FileInputStream(alice.certificate())) {
      leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    assertNull(TlsRefusal.outOfDate(leaf, notBefore.plusSeconds(1)));
    assertEquals("this client's certificate expired at " + notAfter + " (NotAfter)",
        TlsRefusal.outOfDate(leaf, notAfter.plusSeconds(1)));
    assertEquals("this client's certificate is not valid before " + notBefore + " (NotBefore)",
        TlsRefusal.outOfDate(leaf, notBefore.minusSeconds(1)));
  }
}
