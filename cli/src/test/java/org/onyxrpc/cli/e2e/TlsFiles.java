package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * PEM certificates and PKCS#8 keys made now with {@code openssl}, as a user would make them for
 * {@code --tls-ca}, {@code --tls-cert} and {@code --tls-key}: a CA, and certificates it signs.
 * Without openssl the tests are skipped on a developer's machine and fail when CI is set.
 */
final class TlsFiles {
  private final Path dir;
  private int serial = 1;

  TlsFiles(Path dir) {
    this.dir = dir;
    requireOpenssl();
  }

  /** A self-signed CA named {@code name}: {@code name.pem} and {@code name.key}. */
  Path authority(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name);
    return dir.resolve(name + ".pem");
  }

  /**
   * {@code name.pem} and {@code name.key}, signed by the CA {@code ca} (as returned by {@link
   * #authority}), with these extensions (e.g. "subjectAltName=DNS:localhost").
   */
  Path signed(Path ca, String name, String extensions) throws Exception {
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, extensions + "\n", StandardCharsets.US_ASCII);
    String caName = ca.getFileName().toString().replace(".pem", "");
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", caName + ".pem", "-CAkey", caName + ".key",
        "-set_serial", Integer.toString(++serial), "-days", "2", "-extfile", ext.toString(),
        "-out", name + ".pem");
    return dir.resolve(name + ".pem");
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("openssl did not finish: " + command);
    }
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + command + "\n" + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static void requireOpenssl() {
    String problem;
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      problem = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "openssl does not work";
    } catch (Exception e) {
      problem = "openssl is not on the PATH: " + e.getMessage();
    }
    if (problem == null) {
      return;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
      fail(problem + " [required because CI=" + ci + "]");
    }
    Assumptions.abort(problem);
  }
}
