package org.onyxrpc.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most TLS tests start from: a CA ({@code test-ca}) and a server certificate it signs for
 * {@code localhost} and {@code 127.0.0.1}, made once per test class (openssl is slow enough to
 * matter) in a directory removed after it:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();
 * ... TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE) ...
 * }</pre>
 *
 * Without openssl the class is skipped, as {@link TestCertificates} skips it.
 */
public final class LocalhostCertificates implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private TestCertificates.Authority ca;
  private TestCertificates.KeyPair server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("onyx-localhost-certificates");
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (dir == null) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) { // openssl writes no subdirectory here
      files = listed.toList();
    }
    for (Path file : files) {
      Files.delete(file);
    }
    Files.delete(dir);
  }

  /** The CA that signed {@link #server()}; clients trust it. */
  public TestCertificates.Authority ca() {
    return ca;
  }

  /** The server's certificate (for localhost and 127.0.0.1) and key. */
  public TestCertificates.KeyPair server() {
    return server;
  }
}
