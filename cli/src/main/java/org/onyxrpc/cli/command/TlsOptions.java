package org.onyxrpc.cli.command;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Option;

/**
 * RPC-over-TLS (RFC 9289) for the commands that call a service ({@code call}, {@code ping}): the
 * server's certificate is always checked, against the JDK's trusted authorities or {@code
 * --tls-ca}, and for HOST or {@code --tls-server-name}; there is deliberately no option to trust
 * any certificate. The directory (or rpcbind) is still asked in plaintext: rpcbind has no TLS.
 */
public final class TlsOptions {
  /** Picocli makes one per command and sets its options from the command line. */
  public TlsOptions() {}

  @Option(names = "--tls",
      description = "Call over RPC-over-TLS (RFC 9289: TLS 1.3 on the same TCP connection); no call goes "
          + "out in plaintext. Implied by the other --tls-* options.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "Trust the authorities in this PEM file (default: the JDK's trusted authorities).")
  File ca;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Mutual TLS: this PEM certificate chain, leaf first, with --tls-key.")
  File cert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "Mutual TLS: the certificate's private key, PKCS#8 PEM without a password.")
  File key;

  @Option(names = "--tls-server-name", paramLabel = "NAME",
      description = "The name the server's certificate must carry, sent as SNI too (default: HOST).")
  String serverName;

  private SslContext context; // built once per command

  /** True when any TLS option was given. */
  boolean enabled() {
    return tls || ca != null || cert != null || key != null || serverName != null;
  }

  /**
   * What to add to a refusal for too weak security ({@code AUTH_TOOWEAK}) of a call made without
   * TLS: the options that bring more, as far as onyx can know which. The refusal does not say
   * what the server wants (TLS, other credentials, a client certificate), so onyx asks it over
   * TCP whether it takes TLS at all (RFC 9289's probe): TLS is named first where it does, and not
   * offered where it does not. Null for any other failure, or with TLS.
   *
   * @param authSys whether the call already carried AUTH_SYS ({@code --auth-sys})
   * @param offersTls whether the server answers the TLS probe; called only for AUTH_TOOWEAK,
   *     null from it when it could not be asked (over UDP)
   */
  String strongerSecurityHint(RpcException e, boolean authSys, Supplier<Boolean> offersTls) {
    if (enabled() || e.status() != RpcStatus.AUTH_ERROR || e.authStatus() != AuthStatus.AUTH_TOOWEAK) {
      return null;
    }
    String tlsOptions = "onyx calls over TLS with --tls (and --tls-ca FILE for an authority the JDK does"
        + " not trust, --tls-cert FILE --tls-key FILE for a client certificate)";
    Boolean tcpTls = offersTls.get();
    if (tcpTls == null) {
      return "; AUTH_TOOWEAK does not say what the server wants: " + tlsOptions + " over --transport tcp"
          + (authSys ? "" : ", and sends AUTH_SYS credentials with --auth-sys [UID:GID]");
    }
    if (tcpTls) {
      return "; the server answers RPC-over-TLS's probe (STARTTLS), so it likely refuses calls without TLS: "
          + tlsOptions + (authSys ? "" : "; should it refuse the call over TLS too, it wants other"
          + " credentials: --auth-sys [UID:GID] sends AUTH_SYS");
    }
    return "; the server does not answer RPC-over-TLS's probe, so TLS is not what it wants: "
        + (authSys ? "it refuses these AUTH_SYS credentials (other ids, or a flavor onyx does not send)"
            : "other credentials may be (--auth-sys [UID:GID] sends AUTH_SYS)");
  }

  /**
   * The TLS of a client calling {@code program}/{@code version} (the RFC 9289 probe goes to it),
   * or null without TLS.
   *
   * @throws IllegalArgumentException for options that do not fit together or files that cannot
   *     be read as PEM
   */
  ClientTls clientTls(Transport transport, int program, int version) {
    if (!enabled()) {
      return null;
    }
    check(transport);
    ClientTls tls = ClientTls.of(context(), program, version);
    return serverName == null ? tls : tls.withServerName(serverName);
  }

  /**
   * Checks the options before anything is sent: they fit {@code transport} and each other, and
   * the files read as PEM.
   *
   * @throws IllegalArgumentException saying which option is wrong
   */
  void check(Transport transport) {
    if (!enabled()) {
      return;
    }
    if (transport == Transport.UNIX) {
      throw new BadCommandLine("--tls needs --transport tcp: the runtime has no TLS over Unix-domain "
          + "sockets (a unix: target is on this machine, and the server learns the caller from the kernel)");
    }
    if (transport != Transport.TCP) {
      throw new BadCommandLine("--tls needs --transport tcp: RPC-over-TLS has no DTLS");
    }
    context();
  }

  private SslContext context() {
    if (context != null) {
      return context;
    }
    if ((cert == null) != (key == null)) {
      throw new BadCommandLine("--tls-cert and --tls-key go together");
    }
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (ca != null) {
      File authorities = readable(ca, "--tls-ca"); // outside the try: its message names the file
      try {
        builder.trustManager(authorities);
      } catch (IllegalArgumentException e) {
        String kind = whyNot(authorities, PemContents::notCertificates);
        throw new IllegalArgumentException("--tls-ca " + ca + ": " + (kind != null ? kind : reason(e)));
      }
    }
    if (cert != null) {
      File chain = readable(cert, "--tls-cert");
      File privateKey = readable(key, "--tls-key");
      try {
        builder.keyManager(chain, privateKey);
      } catch (IllegalArgumentException e) {
        String notChain = whyNot(chain, PemContents::notCertificates);
        if (notChain != null) {
          throw new IllegalArgumentException("--tls-cert " + cert + ": " + notChain);
        }
        String format = keyFormat(privateKey);
        if (format == null) {
          String notKey = whyNot(privateKey, PemContents::notPrivateKey);
          if (notKey != null) {
            throw new IllegalArgumentException("--tls-key " + key + ": " + notKey);
          }
        }
        throw new IllegalArgumentException("--tls-cert " + cert + " / --tls-key " + key + ": "
            + (format != null ? format : reason(e)));
      }
      String outOfDate = outOfDate(chain);
      if (outOfDate != null) {
        throw new IllegalArgumentException("--tls-cert " + cert + ": " + outOfDate);
      }
      String mismatch = mismatch(chain, privateKey);
      if (mismatch != null) {
        throw new IllegalArgumentException("--tls-cert " + cert + " / --tls-key " + key + ": " + mismatch);
      }
    }
    try {
      context = builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + reason(e));
    }
    return context;
  }

  private static File readable(File file, String option) {
    if (!file.isFile() || !file.canRead()) {
      throw new IllegalArgumentException(option + " " + file + ": no such readable file");
    }
    return file;
  }

  /**
   * Why {@code key} is not the key of the first certificate of {@code chain}, or null if it is
   * (or cannot be told: a key type without a signature this checks). The JDK would offer the
   * certificate with a signature its key does not verify, and the server answer with a bare
   * {@code handshake_failure} or {@code decrypt_error} alert.
   */
  private static String mismatch(File chain, File key) {
    try {
      PublicKey certified = leaf(chain).getPublicKey();
      String algorithm = switch (certified.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "Ed25519", "Ed448", "EdDSA" -> certified.getAlgorithm();
        default -> null;
      };
      if (algorithm == null) {
        return null;
      }
      Matcher pem = PKCS8_KEY.matcher(Files.readString(key.toPath(), StandardCharsets.ISO_8859_1));
      if (!pem.find()) {
        return null; // Netty read it: a form this does not know
      }
      PrivateKey own;
      try {
        own = KeyFactory.getInstance(certified.getAlgorithm())
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1))));
      } catch (InvalidKeySpecException e) {
        return "the key is not the certificate's: the certificate's is an " + certified.getAlgorithm()
            + " key, and this is not";
      }
      byte[] probe = "onyx".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(own);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature) ? null
          : "the key is not the certificate's: the certificate's public key does not match it";
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return null; // not ours to judge: the TLS layer has the last word
    }
  }

  /**
   * Why the first certificate of {@code chain} is out of its validity, or null: the server would
   * refuse it with no more than a {@code certificate_unknown} alert, which does not say why.
   */
  private static String outOfDate(File chain) {
    try {
      X509Certificate leaf = leaf(chain);
      Instant now = Instant.now();
      if (now.isAfter(leaf.getNotAfter().toInstant())) {
        return "the certificate expired at " + leaf.getNotAfter().toInstant()
            + " (NotAfter): a server that checks it refuses it";
      }
      if (now.isBefore(leaf.getNotBefore().toInstant())) {
        return "the certificate is not valid before " + leaf.getNotBefore().toInstant()
            + " (NotBefore): a server that checks it refuses it";
      }
      return null;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return null; // not ours to judge: the TLS layer has the last word
    }
  }

  private static X509Certificate leaf(File chain) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(chain.toPath())) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(in)
          .iterator().next();
    }
  }

  private static final Pattern PKCS8_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /** The PEM header of a key in OpenSSL's traditional format (PKCS#1, SEC1), not PKCS#8. */
  private static final Pattern TRADITIONAL_KEY = Pattern.compile("-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----");
  private static final String CONVERT = ": openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";

  /**
   * What is wrong with a key the JDK could not read, when its PEM header says, else null: the JDK
   * reads unencrypted PKCS#8 only, and says of the formats openssl also writes no more than
   * "algid parse error, not a sequence".
   */
  private static String keyFormat(File key) {
    String head;
    try (InputStream in = Files.newInputStream(key.toPath())) {
      head = new String(in.readNBytes(64 << 10), StandardCharsets.ISO_8859_1); // a key is short
    } catch (IOException e) {
      return null;
    }
    if (head.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || head.contains("Proc-Type: 4,ENCRYPTED")) {
      return "the key is encrypted, and onyx takes one without a password; this writes one (asking for "
          + "the password)" + CONVERT;
    }
    Matcher traditional = TRADITIONAL_KEY.matcher(head);
    if (traditional.find()) {
      return "the key is in OpenSSL's traditional " + traditional.group(1) + " format, not PKCS#8; this "
          + "converts it" + CONVERT;
    }
    return null;
  }

  /** What {@code file} holds that makes it the wrong kind, by {@code check}, or null if that cannot be told. */
  private static String whyNot(File file, Function<PemContents, String> check) {
    PemContents contents = PemContents.of(file);
    return contents == null ? null : check.apply(contents);
  }

  /** The innermost message: Netty wraps the one that says what is wrong with the file. */
  private static String reason(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
