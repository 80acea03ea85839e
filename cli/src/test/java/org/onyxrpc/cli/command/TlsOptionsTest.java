package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;

/** A TLS file that cannot be used is named once, with what is wrong with it. */
class TlsOptionsTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsNamedOnce() {
    TlsOptions tls = new TlsOptions();
    tls.ca = dir.resolve("no-such.pem").toFile();
    assertEquals("--tls-ca " + tls.ca + ": no such readable file",
        assertThrows(IllegalArgumentException.class, () -> tls.check(Transport.TCP)).getMessage());

    TlsOptions mutual = new TlsOptions();
    mutual.cert = dir.resolve("me.pem").toFile();
    mutual.key = dir.resolve("me.key").toFile();
    assertEquals("--tls-cert " + mutual.cert + ": no such readable file",
        assertThrows(IllegalArgumentException.class, () -> mutual.check(Transport.TCP)).getMessage());
  }

  @Test
  void aFileThatIsNotPemSaysWhy() throws Exception {
    TlsOptions tls = new TlsOptions();
    File notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate").toFile();
    tls.ca = notPem;
    String message = assertThrows(IllegalArgumentException.class, () -> tls.check(Transport.TCP)).getMessage();
    assertEquals("--tls-ca " + notPem + ": ", message.substring(0, ("--tls-ca " + notPem + ": ").length()), message);
    assertEquals(1, message.split("--tls-ca", -1).length - 1, message);
  }

  @Test
  void aFileOfTheWrongKindIsNamedForWhatItHolds() throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    TestCertificates.KeyPair me = certificates.client(certificates.authority("ca"), "me");
    File request = dir.resolve("me.csr").toFile(); // what openssl req wrote before the authority signed it
    String noCertificate = "it holds no certificate (-----BEGIN CERTIFICATE-----)";
    String signIt = ": an authority signs a request into a certificate (openssl x509 -req -in CSR -CA CA.pem "
        + "-CAkey CA.key -out CERT.pem)";

    // The JDK's words for these were "DerValue.getOID, not an OID 49" and "found no certificates in input stream".
    assertEquals("--tls-ca " + request + ": " + noCertificate + ", only -----BEGIN CERTIFICATE REQUEST-----" + signIt,
        caMessage(request));
    assertEquals("--tls-ca " + me.key() + ": " + noCertificate + ", only -----BEGIN PRIVATE KEY-----",
        caMessage(me.key()));
    File empty = Files.writeString(dir.resolve("empty.pem"), "").toFile();
    assertEquals("--tls-ca " + empty + ": " + noCertificate + ": the file is empty", caMessage(empty));
    File der = dir.resolve("ca.der").toFile();
    openssl("x509", "-in", me.certificate().getPath(), "-outform", "der", "-out", der.getPath());
    assertEquals("--tls-ca " + der + ": " + noCertificate + ", and no PEM block at all; if it is DER (binary), "
        + "this converts it: openssl x509 -inform der -in FILE -out FILE.pem", caMessage(der));
    File withRequest = dir.resolve("bundle.pem").toFile();
    Files.writeString(withRequest.toPath(), Files.readString(me.certificate().toPath()) + Files.readString(request.toPath()));
    assertEquals("--tls-ca " + withRequest + ": it holds -----BEGIN CERTIFICATE REQUEST----- beside its "
        + "certificates: leave only the -----BEGIN CERTIFICATE----- blocks", caMessage(withRequest));

    assertEquals("--tls-cert " + request + ": " + noCertificate + ", only -----BEGIN CERTIFICATE REQUEST-----" + signIt,
        keyMessage(request, me.key()));
    assertEquals("--tls-key " + me.certificate() + ": it holds no private key (-----BEGIN PRIVATE KEY-----), "
        + "only -----BEGIN CERTIFICATE-----", keyMessage(me.certificate(), me.certificate()));
  }

  private static String caMessage(File authorities) {
    TlsOptions tls = new TlsOptions();
    tls.ca = authorities;
    return assertThrows(IllegalArgumentException.class, () -> tls.check(Transport.TCP)).getMessage();
  }

  @Test
  void aKeyInAnotherFormatThanPkcs8SaysHowToConvertIt() throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    TestCertificates.KeyPair me = certificates.client(certificates.authority("ca"), "me");
    // What openssl writes unless told -topk8 -nocrypt: SEC1 ("BEGIN EC PRIVATE KEY", as
    // "BEGIN RSA PRIVATE KEY" is PKCS#1), and an encrypted PKCS#8 key.
    File traditional = dir.resolve("traditional.key").toFile();
    openssl("ec", "-in", me.key().getPath(), "-out", traditional.getPath());
    File encrypted = dir.resolve("encrypted.key").toFile();
    openssl("pkcs8", "-topk8", "-in", me.key().getPath(), "-out", encrypted.getPath(), "-passout", "pass:secret");

    String message = keyMessage(me.certificate(), traditional);
    assertTrue(message.startsWith("--tls-cert " + me.certificate() + " / --tls-key " + traditional + ": "), message);
    assertTrue(message.contains("the key is in OpenSSL's traditional EC format, not PKCS#8"), message);
    assertTrue(message.contains("openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"), message);

    message = keyMessage(me.certificate(), encrypted);
    assertTrue(message.contains("the key is encrypted, and onyx takes one without a password"), message);
    assertTrue(message.contains("openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"), message);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedBeforeTheServerRefusesTheHandshake() throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    TestCertificates.Authority ca = certificates.authority("ca");
    TestCertificates.KeyPair me = certificates.client(ca, "me");
    TestCertificates.KeyPair other = certificates.client(ca, "other");
    String message = keyMessage(me.certificate(), other.key());
    assertEquals("--tls-cert " + me.certificate() + " / --tls-key " + other.key()
        + ": the key is not the certificate's: the certificate's public key does not match it", message);

    TlsOptions matching = new TlsOptions();
    matching.cert = me.certificate();
    matching.key = me.key();
    matching.check(Transport.TCP);
  }

  @Test
  void anExpiredCertificateIsRefusedBeforeTheServerRefusesTheHandshake() throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    TestCertificates.KeyPair expired = certificates.expiredServer(certificates.authority("ca"), "me");
    String message = keyMessage(expired.certificate(), expired.key());
    assertTrue(message.startsWith("--tls-cert " + expired.certificate() + ": the certificate expired at "), message);
    assertTrue(message.endsWith("Z (NotAfter): a server that checks it refuses it"), message);
  }

  private static String keyMessage(File certificate, File key) {
    TlsOptions tls = new TlsOptions();
    tls.cert = certificate;
    tls.key = key;
    return assertThrows(IllegalArgumentException.class, () -> tls.check(Transport.TCP)).getMessage();
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + command);
  }
}
