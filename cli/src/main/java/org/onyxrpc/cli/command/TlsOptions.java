package org.onyxrpc.cli.command;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;
import org.onyxrpc.client.ClientTls;
import org.onyxrpc.transport.Transport;
import picocli.CommandLine.Option;

/**
 * RPC-over-TLS (RFC 9289) for the commands that call a service ({@code call}, {@code ping}): the
 * server's certificate is always checked, against the JDK's trusted authorities or {@code
 * --tls-ca}, and for HOST or {@code --tls-server-name}; there is deliberately no option to trust
 * any certificate. The directory (or rpcbind) is still asked in plaintext: rpcbind has no TLS.
 */
public final class TlsOptions {
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
      throw new IllegalArgumentException("--tls needs --transport tcp: the runtime has no TLS over Unix-domain "
          + "sockets (a unix: target is on this machine, and the server learns the caller from the kernel)");
    }
    if (transport != Transport.TCP) {
      throw new IllegalArgumentException("--tls needs --transport tcp: RPC-over-TLS has no DTLS");
    }
    context();
  }

  private SslContext context() {
    if (context != null) {
      return context;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (ca != null) {
      File authorities = readable(ca, "--tls-ca"); // outside the try: its message names the file
      try {
        builder.trustManager(authorities);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--tls-ca " + ca + ": " + reason(e));
      }
    }
    if (cert != null) {
      File chain = readable(cert, "--tls-cert");
      File privateKey = readable(key, "--tls-key");
      try {
        builder.keyManager(chain, privateKey);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--tls-cert " + cert + " / --tls-key " + key + ": " + reason(e));
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

  /** The innermost message: Netty wraps the one that says what is wrong with the file. */
  private static String reason(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
