package org.onyxrpc.cli.command;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PEM file given to a {@code --tls-*} option holds, by the labels of its blocks, so that a
 * file of the wrong kind is named for what it is. Netty and the JDK say no more than "found no
 * certificates in input stream" of a key given as a certificate, and "DerValue.getOID, not an OID
 * 49" of a certificate request (whose label, {@code CERTIFICATE REQUEST}, Netty takes for a
 * certificate's).
 */
final class PemContents {
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,64})-----");
  private static final int MAX_READ = 1 << 20; // certificates and keys are a few KiB: enough to see their labels
  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String PKCS8_KEY = "PRIVATE KEY";

  private final Set<String> labels;
  private final boolean empty;
  private final boolean der;

  private PemContents(Set<String> labels, boolean empty, boolean der) {
    this.labels = labels;
    this.empty = empty;
    this.der = der;
  }

  /** Reads the labels of {@code file}'s PEM blocks; null when it cannot be read. */
  static PemContents of(File file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file.toPath())) {
      bytes = in.readNBytes(MAX_READ);
    } catch (IOException e) {
      return null;
    }
    Set<String> labels = new LinkedHashSet<>();
    Matcher begin = BEGIN.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
    while (begin.find()) {
      labels.add(begin.group(1));
    }
    // A DER file (binary, what openssl writes with -outform der) starts with an ASN.1 SEQUENCE.
    return new PemContents(labels, bytes.length == 0, bytes.length > 0 && bytes[0] == 0x30);
  }

  /**
   * Why the file is not a PEM certificate chain, or null when nothing here says (it has
   * certificates and nothing Netty takes for one): the caller then gives the TLS layer's reason.
   */
  String notCertificates() {
    if (labels.contains(CERTIFICATE)) {
      return labels.stream().anyMatch(l -> l.contains(CERTIFICATE) && !l.equals(CERTIFICATE))
          ? "it holds " + others(CERTIFICATE) + " beside its certificates: leave only the "
              + "-----BEGIN CERTIFICATE----- blocks"
          : null;
    }
    return "it holds no certificate (-----BEGIN CERTIFICATE-----)" + what("openssl x509 -inform der -in FILE -out FILE.pem")
        + (labels.stream().anyMatch(l -> l.endsWith("CERTIFICATE REQUEST"))
            ? ": an authority signs a request into a certificate (openssl x509 -req -in CSR -CA CA.pem -CAkey CA.key -out CERT.pem)"
            : "");
  }

  /**
   * Why the file is not an unencrypted PKCS#8 PEM key, or null when it has one (or a key in
   * another format, which the caller names with the command that converts it).
   */
  String notPrivateKey() {
    if (labels.stream().anyMatch(l -> l.endsWith(PKCS8_KEY)) || labels.contains("ENCRYPTED PRIVATE KEY")) {
      return null;
    }
    return "it holds no private key (-----BEGIN PRIVATE KEY-----)"
        + what("openssl pkcs8 -topk8 -nocrypt -inform der -in KEY -out KEY.pem");
  }

  /** What the file holds instead, or how to convert a DER one. */
  private String what(String convertDer) {
    if (empty) {
      return ": the file is empty";
    }
    if (!labels.isEmpty()) {
      return ", only " + others(null);
    }
    return der ? ", and no PEM block at all; if it is DER (binary), this converts it: " + convertDer
        : ", and no PEM block at all";
  }

  /** The blocks other than {@code except}'s, as they begin: "-----BEGIN X-----, -----BEGIN Y-----". */
  private String others(String except) {
    StringBuilder text = new StringBuilder();
    for (String label : labels) {
      if (!label.equals(except)) {
        text.append(text.length() == 0 ? "" : ", ").append("-----BEGIN ").append(label).append("-----");
      }
    }
    return text.toString();
  }
}
