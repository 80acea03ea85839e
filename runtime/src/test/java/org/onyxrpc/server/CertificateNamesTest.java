package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.tls.TestCertificates;

/**
 * How CertificateAuthenticator names a refused client's certificate in its log line: subject and
 * names, cut short, since the client chose the certificate (before: every name, however many).
 */
class CertificateNamesTest {
  @TempDir Path dir;

  private X509Certificate certificate(String subjectAltName) throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.KeyPair pair = certs.client(certs.authority("ca"), "bob", subjectAltName);
    try (InputStream in = Files.newInputStream(pair.certificate().toPath())) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void aFewNamesAreShownWhole() throws Exception {
    assertEquals("CN=bob (DNS:bob.example, URI:spiffe://example/bob)",
        CertificateAuthenticator.names(certificate("DNS:bob.example,URI:spiffe://example/bob")));
  }

  @Test
  void manyNamesAreCutShort() throws Exception {
    String many = IntStream.range(0, 60).mapToObj(i -> "DNS:host-" + i + "-" + "x".repeat(40) + ".example")
        .collect(Collectors.joining(","));
    String names = CertificateAuthenticator.names(certificate(many));
    assertEquals(CertificateAuthenticator.MAX_NAMES + 3, names.length(), names);
    assertTrue(names.startsWith("CN=bob (DNS:host-0-"), names);
  }
}
