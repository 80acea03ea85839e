package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.DecoderException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

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
}
