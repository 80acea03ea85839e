package org.onyxrpc.benchmarks;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed P-256 certificate for the loopback interface (subject {@code CN=name}, subject
 * alternative names {@code localhost} and {@code 127.0.0.1}, valid two days) and its key, made by
 * the JDK's own {@code keytool} so that the benchmarks need no other tool. Each peer trusts the
 * other's certificate directly, which is all a loopback measurement needs.
 *
 * @param key the private key
 * @param certificate the certificate
 */
record LoopbackIdentity(PrivateKey key, X509Certificate certificate) {
  private static final char[] PASSWORD = "onyx-loopback".toCharArray();

  /** Makes a new key and certificate for {@code CN=commonName}. */
  static LoopbackIdentity create(String commonName) throws IOException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("onyx-tls");
    Path store = dir.resolve("identity.p12");
    try {
      keytool("-genkeypair", "-alias", "id", "-keyalg", "EC", "-groupname", "secp256r1",
          "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName,
          "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
          "-keystore", store.toString(), "-storepass", new String(PASSWORD),
          "-keypass", new String(PASSWORD));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD);
      }
      return new LoopbackIdentity((PrivateKey) keys.getKey("id", PASSWORD),
          (X509Certificate) keys.getCertificate("id"));
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }

  /** The provider asked for by name: "jdk", or "openssl" (which must then be available). */
  static SslProvider provider(String name) {
    return switch (name) {
      case "jdk" -> SslProvider.JDK;
      case "openssl" -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("OpenSSL (netty-tcnative) is not available: "
              + OpenSsl.unavailabilityCause());
        }
        yield SslProvider.OPENSSL;
      }
      default -> throw new IllegalArgumentException("TLS provider jdk or openssl: " + name);
    };
  }

  /** A Netty server context with this identity; it requires a client certificate if {@code client} is not null. */
  SslContext serverContext(SslProvider provider, LoopbackIdentity client) throws IOException {
    SslContextBuilder b = SslContextBuilder.forServer(key, certificate).sslProvider(provider);
    if (client != null) {
      b.trustManager(client.certificate).clientAuth(ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /** A Netty client context that trusts {@code server} and, if given, shows {@code own}. */
  static SslContext clientContext(SslProvider provider, LoopbackIdentity server, LoopbackIdentity own)
      throws IOException {
    SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider)
        .trustManager(server.certificate);
    if (own != null) {
      b.keyManager(own.key, own.certificate);
    }
    return b.build();
  }

  /** A JDK context (for oncrpc4j) showing this identity and trusting {@code peer}'s certificate. */
  SSLContext jdkContext(LoopbackIdentity peer) throws IOException, GeneralSecurityException {
    KeyStore own = KeyStore.getInstance("PKCS12");
    own.load(null, null);
    own.setKeyEntry("id", key, PASSWORD, new X509Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(own, PASSWORD);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("peer", peer.certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool failed: " + command + "\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted waiting for keytool", e);
    }
  }
}
