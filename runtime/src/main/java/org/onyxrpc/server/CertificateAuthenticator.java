package org.onyxrpc.server;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call only if the client certificate that mutual TLS verified names a caller allowed
 * to call that procedure: by its subject's distinguished name, or by a DNS name or URI among its
 * subject alternative names (a SPIFFE id, for instance). Everything not allowed is refused, with
 * AUTH_ERROR {@code AUTH_TOOWEAK} when the call came without a certificate (plaintext, or TLS
 * without a client certificate) and {@code AUTH_REJECTEDCRED} when the certificate is not one
 * allowed to call it; either is logged, at most once per interval, with who called what.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .tls(serverContext, TlsMode.REQUIRE)    // serverContext asks for client certificates
 *     .authenticator(CertificateAuthenticator.builder()
 *         .allowSubject("CN=billing,O=Example", CallScope.program(LEDGER))
 *         .allowDnsName("reports.example.com", CallScope.procedure(LEDGER, 1, BALANCE))
 *         .allowUri("spiffe://example.com/audit", CallScope.version(LEDGER, 1))
 *         .allowWithoutCertificate(CallScope.program(Health.PROGRAM))
 *         .build())
 *     .addService(ledger)
 *     .build();
 * }</pre>
 *
 * <p>A rule's {@link CallScope} that admits one procedure of a version also admits the bare NULL
 * ping of that version, which the server answers itself; a procedure 0 that the program declares
 * with a handler of its own is authorized like any other procedure (see {@link CallScope}).
 *
 * <p>The certificate only decides whether the call may run; what the call's own credential says
 * (AUTH_NONE, AUTH_SYS) is then read by the next authenticator, {@link Authenticator#DEFAULT}
 * unless {@link Builder#then} says otherwise, and reaches the procedure as {@link
 * CallContext#credentials()} beside {@link CallContext#peerPrincipal()}.
 */
public final class CertificateAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);
  // RFC 5280 §4.2.1.6 GeneralName tags, as X509Certificate.getSubjectAlternativeNames gives them
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  /** Longest description of a client certificate logged. */
  static final int MAX_NAMES = 256;

  private final Map<X500Principal, List<CallScope>> subjects;
  private final Map<String, List<CallScope>> dnsNames; // lower case
  private final Map<String, List<CallScope>> uris;
  private final List<CallScope> withoutCertificate;
  private final Authenticator next;
  private final RateLimitedLog refusedWithout = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog refusedWith = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  private CertificateAuthenticator(Builder b) {
    this.subjects = copy(b.subjects);
    this.dnsNames = copy(b.dnsNames);
    this.uris = copy(b.uris);
    this.withoutCertificate = List.copyOf(b.withoutCertificate);
    this.next = b.next;
  }

  /**
   * A builder that allows nothing until told.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Without knowing the peer, only the calls allowed without a certificate are admitted.
   *
   * @param call the call's header
   * @return the credentials the next authenticator reads
   * @throws RpcException AUTH_ERROR AUTH_TOOWEAK if the call needs a certificate
   */
  @Override
  public Credentials authenticate(CallHeader call) {
    return authenticate(call, null);
  }

  /**
   * Without knowing whether procedure 0 is the bare NULL ping, it is taken for one the program
   * serves: admitted only by a scope of its program or version, or one that names it.
   *
   * @param call the call's header
   * @param peer the TLS certificates the connection proved, if any
   * @return the credentials the next authenticator reads
   * @throws RpcException AUTH_ERROR if no rule admits the call
   */
  @Override
  public Credentials authenticate(CallHeader call, Peer peer) {
    return authenticate(call, peer, false);
  }

  @Override
  public Credentials authenticate(CallHeader call, Peer peer, boolean nullPing) {
    if (anyCovers(withoutCertificate, call, nullPing)) {
      return next.authenticate(call, peer, nullPing);
    }
    Object from = peer == null ? "an unknown peer" : peer.remoteAddress();
    if (peer == null || peer.certificates().isEmpty()) {
      String why = peer != null && peer.tls() ? "TLS without a client certificate" : "no TLS";
      refusedWithout.warn(LOG, "refusing {} from {}: it needs a client certificate, and the call came "
          + "with {} (AUTH_TOOWEAK)", describe(call), from, why);
      throw RpcException.authError(AuthStatus.AUTH_TOOWEAK,
          describe(call) + " needs a client certificate (mutual TLS)");
    }
    X509Certificate leaf = peer.certificates().get(0);
    if (allows(leaf, call, nullPing)) {
      return next.authenticate(call, peer, nullPing);
    }
    refusedWith.warn(LOG, "refusing {} from {}: certificate {} is not allowed to call it (AUTH_REJECTEDCRED)",
        describe(call), from, names(leaf));
    throw RpcException.authError(AuthStatus.AUTH_REJECTEDCRED,
        "certificate " + clip(leaf.getSubjectX500Principal().getName()) + " may not call "
            + describe(call));
  }

  private boolean allows(X509Certificate leaf, CallHeader call, boolean nullPing) {
    if (anyCovers(subjects.get(leaf.getSubjectX500Principal()), call, nullPing)) {
      return true;
    }
    if (dnsNames.isEmpty() && uris.isEmpty()) {
      return false;
    }
    for (List<?> name : alternativeNames(leaf)) {
      int type = (Integer) name.get(0);
      List<CallScope> scopes = type == SAN_DNS ? dnsNames.get(lower(name.get(1)))
          : type == SAN_URI ? uris.get(String.valueOf(name.get(1))) : null;
      if (anyCovers(scopes, call, nullPing)) {
        return true;
      }
    }
    return false;
  }

  private static Collection<List<?>> alternativeNames(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) { // the handshake verified it; unreadable names match none
      return List.of();
    }
  }

  private static boolean anyCovers(List<CallScope> scopes, CallHeader call, boolean nullPing) {
    if (scopes != null) {
      for (CallScope s : scopes) {
        if (nullPing ? s.coversNullPing(call.program(), call.version())
            : s.covers(call.program(), call.version(), call.procedure())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(CallHeader call) {
    return CallScope.describe(call.program(), call.version(), call.procedure());
  }

  /**
   * The certificate's subject and DNS and URI names, for a log line: what the rules could have
   * matched, such as "CN=mallory (DNS:mallory.example)"; cut at {@value #MAX_NAMES} characters,
   * since the client chose the certificate and how many names it holds.
   */
  static String names(X509Certificate leaf) {
    List<String> alt = new ArrayList<>();
    for (List<?> name : alternativeNames(leaf)) {
      int type = (Integer) name.get(0);
      if (type == SAN_DNS || type == SAN_URI) {
        alt.add((type == SAN_DNS ? "DNS:" : "URI:") + name.get(1));
      }
    }
    String subject = leaf.getSubjectX500Principal().getName();
    return clip(alt.isEmpty() ? subject : subject + " (" + String.join(", ", alt) + ")");
  }

  private static String clip(String text) {
    return text.length() <= MAX_NAMES ? text : text.substring(0, MAX_NAMES) + "...";
  }

  private static String lower(Object name) {
    return String.valueOf(name).toLowerCase(Locale.ROOT);
  }

  private static <K> Map<K, List<CallScope>> copy(Map<K, List<CallScope>> rules) {
    Map<K, List<CallScope>> copy = new HashMap<>();
    rules.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Map.copyOf(copy);
  }

  /** Collects the rules; {@link #build} copies them. */
  public static final class Builder {
    private final Map<X500Principal, List<CallScope>> subjects = new HashMap<>();
    private final Map<String, List<CallScope>> dnsNames = new HashMap<>();
    private final Map<String, List<CallScope>> uris = new HashMap<>();
    private final List<CallScope> withoutCertificate = new ArrayList<>();
    private Authenticator next = Authenticator.DEFAULT;

    private Builder() {}

    /**
     * Allows the certificate whose subject is {@code distinguishedName} (RFC 4514, such as
     * {@code "CN=billing,O=Example"}; compared in canonical form, so case and spaces between
     * attributes do not matter) to make the calls in {@code scope}.
     *
     * @param distinguishedName the certificate's subject; not null
     * @param scope the calls allowed; not null
     * @return this builder
     * @throws IllegalArgumentException if the name cannot be parsed
     */
    public Builder allowSubject(String distinguishedName, CallScope scope) {
      X500Principal subject = new X500Principal(Objects.requireNonNull(distinguishedName, "distinguishedName"));
      subjects.computeIfAbsent(subject, k -> new ArrayList<>()).add(Objects.requireNonNull(scope, "scope"));
      return this;
    }

    /**
     * Allows a certificate with this DNS subject alternative name (any case) the calls in {@code scope}.
     *
     * @param dnsName a DNS name, not empty
     * @param scope the calls allowed; not null
     * @return this builder
     * @throws IllegalArgumentException if {@code dnsName} is empty
     */
    public Builder allowDnsName(String dnsName, CallScope scope) {
      if (dnsName.isEmpty()) {
        throw new IllegalArgumentException("empty DNS name");
      }
      dnsNames.computeIfAbsent(lower(dnsName), k -> new ArrayList<>()).add(Objects.requireNonNull(scope, "scope"));
      return this;
    }

    /**
     * Allows a certificate with exactly this URI subject alternative name the calls in {@code scope}.
     *
     * @param uri a URI, not empty
     * @param scope the calls allowed; not null
     * @return this builder
     * @throws IllegalArgumentException if {@code uri} is empty
     */
    public Builder allowUri(String uri, CallScope scope) {
      if (uri.isEmpty()) {
        throw new IllegalArgumentException("empty URI");
      }
      uris.computeIfAbsent(uri, k -> new ArrayList<>()).add(Objects.requireNonNull(scope, "scope"));
      return this;
    }

    /**
     * Lets anyone, with a certificate or without, make the calls in {@code scope}. Only the calls
     * that reach the authenticator without a certificate need it: plaintext ones on a {@link
     * TlsMode#OFFER} server, TLS ones when the server's context asks for a certificate with {@code
     * ClientAuth.OPTIONAL}; {@code ClientAuth.REQUIRE} and {@link TlsMode#REQUIRE} refuse callers
     * without a certificate before it.
     *
     * @param scope the calls allowed; not null
     * @return this builder
     */
    public Builder allowWithoutCertificate(CallScope scope) {
      withoutCertificate.add(Objects.requireNonNull(scope, "scope"));
      return this;
    }

    /**
     * What reads the credential of an admitted call (default {@link Authenticator#DEFAULT}:
     * AUTH_NONE and AUTH_SYS).
     *
     * @param next reads the credential once a rule admitted the call; not null
     * @return this builder
     */
    public Builder then(Authenticator next) {
      this.next = Objects.requireNonNull(next, "next");
      return this;
    }

    /**
     * The authenticator, with a copy of the rules.
     *
     * @return the authenticator; later changes to this builder do not reach it
     */
    public CertificateAuthenticator build() {
      return new CertificateAuthenticator(this);
    }
  }
}
