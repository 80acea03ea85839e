package org.onyxrpc.benchmarks.report;

import static org.onyxrpc.benchmarks.report.Markdown.atMost;
import static org.onyxrpc.benchmarks.report.Markdown.divide;
import static org.onyxrpc.benchmarks.report.Markdown.number;
import static org.onyxrpc.benchmarks.report.Markdown.ratio;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What RPC-over-TLS costs against plaintext (issue 14), from {@code TlsSyncCall} (p50 of a small
 * call) and {@code TlsEcho} (1 MiB echo), for the JDK's provider and OpenSSL. The issue expects
 * TLS 1.3 on loopback to cost well under 2× on the 1 MiB echo.
 */
final class TlsRatios {
  private static final int MIB = 1 << 20;
  private static final String[] PROVIDERS = {"jdk", "openssl"};

  private final Results results;

  TlsRatios(Results results) {
    this.results = results;
  }

  /** The section, or nothing when the run measured no TLS. */
  String render() {
    OptionalDouble plainCall = p50("plain");
    OptionalDouble plainEcho = echoMiB("plain");
    boolean any = plainCall.isPresent() || plainEcho.isPresent();
    for (String provider : PROVIDERS) {
      any |= p50(provider).isPresent() || echoMiB(provider).isPresent();
    }
    if (!any) {
      return "";
    }
    Markdown table = new Markdown("TLS provider", "call p50 µs", "TLS / plain",
        "1 MiB echo MiB/s", "plain / TLS (< 2×)");
    table.add("none (plaintext)", number(plainCall, 1), Markdown.MISSING, number(plainEcho, 0),
        Markdown.MISSING);
    for (String provider : PROVIDERS) {
      OptionalDouble call = p50(provider);
      OptionalDouble echo = echoMiB(provider);
      OptionalDouble cost = divide(plainEcho, echo);
      table.add("`" + provider + "`", number(call, 1), ratio(divide(call, plainCall)),
          number(echo, 0), cost.isEmpty() ? Markdown.MISSING : ratio(cost) + " " + atMost(cost, 2.0));
    }
    return "## RPC-over-TLS against plaintext (issue 14)\n\n" + table + "\n"
        + "TLS 1.3 on one established connection (the handshake is in setup), the client's I/O on "
        + "its event loop in every row; `openssl` is BoringSSL from netty-tcnative.\n";
  }

  private OptionalDouble p50(String tls) {
    return results.micros("TlsSyncCall.call", Map.of("tls", tls), "50.0");
  }

  /** Payload MiB/s each way: with 1 MiB per echo, the calls per second. */
  private OptionalDouble echoMiB(String tls) {
    return results.perSecond("TlsEcho.echo", Map.of("tls", tls, "size", Integer.toString(MIB)));
  }
}
