package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.onyxrpc.testing.Unavailable;

/**
 * Certificates made at test time with the {@code openssl} command: a CA, and server and client
 * certificates it signs (P-256 keys, PKCS#8 PEM). Without openssl the tests are skipped on a
 * developer's machine and fail under CI, like the runtime's other tests that need tools. Public
 * for the tests of other modules (onyx-cli's), through the runtime's test-jar.
 */
public final class TestCertificates {
  /** A key and the certificate that goes with it. */
  public record KeyPair(File certificate, File key) {}

  /** A certificate authority: its certificate, which peers trust, and its key. */
  public record Authority(File certificate, File key) {}

  private final Path dir;
  private int serial = 1;

  public TestCertificates(Path dir) {
    this.dir = dir;
    requireOpenssl();
  }

  public Authority authority(String name) throws Exception {
    File cert = dir.resolve(name + ".pem").toFile();
    File key = dir.resolve(name + ".key").toFile();
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.getPath(), "-out", cert.getPath(), "-days", "2", "-subj", "/CN=" + name);
    return new Authority(cert, key);
  }

  /** A server certificate naming {@code subjectAltName} (e.g. "DNS:localhost,IP:127.0.0.1"). */
  public KeyPair server(Authority ca, String name, String subjectAltName) throws Exception {
    return signed(ca, name, "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n", 1);
  }

  /** A server certificate whose validity ended yesterday. */
  public KeyPair expiredServer(Authority ca, String name) throws Exception {
    return signed(ca, name, "subjectAltName=DNS:localhost,IP:127.0.0.1\n", -1);
  }

  /** A client certificate with subject CN={@code name}. */
  public KeyPair client(Authority ca, String name) throws Exception {
    return signed(ca, name, "extendedKeyUsage=clientAuth\n", 1);
  }

  /** A client certificate with subject CN={@code name} and {@code subjectAltName} ("DNS:a,URI:b"). */
  public KeyPair client(Authority ca, String name, String subjectAltName) throws Exception {
    return signed(ca, name, "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=clientAuth\n", 1);
  }

  private KeyPair signed(Authority ca, String name, String extensions, int days) throws Exception {
    File key = dir.resolve(name + ".key").toFile();
    File csr = dir.resolve(name + ".csr").toFile();
    File cert = dir.resolve(name + ".pem").toFile();
    File ext = dir.resolve(name + ".ext").toFile();
    Files.writeString(ext.toPath(), extensions, StandardCharsets.US_ASCII);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.getPath(), "-out", csr.getPath(), "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", csr.getPath(), "-CA", ca.certificate().getPath(),
        "-CAkey", ca.key().getPath(), "-set_serial", Integer.toString(++serial),
        "-days", Integer.toString(days), "-extfile", ext.getPath(), "-out", cert.getPath());
    return new KeyPair(cert, key);
  }

  public static SslContext serverContext(KeyPair server, Authority trusted, ClientAuth clientAuth)
      throws Exception {
    // The JDK's TLS, as without OpenSSL on the class path (the tests have it, for the client).
    SslContextBuilder b = SslContextBuilder.forServer(server.certificate(), server.key())
        .sslProvider(SslProvider.JDK).clientAuth(clientAuth);
    if (trusted != null) {
      b.trustManager(trusted.certificate());
    }
    return b.build();
  }

  public static SslContext clientContext(Authority trusted, KeyPair own) throws Exception {
    return clientContext(trusted, own, SslProvider.JDK);
  }

  public static SslContext clientContext(Authority trusted, KeyPair own, SslProvider provider)
      throws Exception {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider)
        .trustManager(trusted.certificate());
    if (own != null) {
      b.keyManager(own.certificate(), own.key());
    }
    return b.build();
  }

  /**
   * A plain JDK context (no Netty) for raw {@code SSLSocket} peers that trust {@code trusted}, for
   * {@code protocol} ("TLS", "TLSv1.3", …).
   */
  public static SSLContext jdkClientContext(Authority trusted, String protocol) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream pem = new FileInputStream(trusted.certificate())) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance(protocol);
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("openssl did not finish: " + command);
    }
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + command + "\n" + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("openssl.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Skips without the tool on a developer's machine; fails under CI. */
  public static void requireTool(String... versionCommand) {
    String problem;
    try {
      Process p = new ProcessBuilder(versionCommand).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      problem = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null
          : versionCommand[0] + " does not work";
    } catch (Exception e) {
      problem = versionCommand[0] + " is not on the PATH: " + e.getMessage();
    }
    if (problem == null) {
      return;
    }
    Unavailable.because(problem);
  }

  private static void requireOpenssl() {
    requireTool("openssl", "version");
  }
}
