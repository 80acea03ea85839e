package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
}
