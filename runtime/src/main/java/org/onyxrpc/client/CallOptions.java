package org.onyxrpc.client;

import java.time.Duration;
import java.util.Objects;
import org.onyxrpc.internal.Checks;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Credentials;

/**
 * How one call is made, where it differs from the procedure's and the client's defaults.
 *
 * <pre>{@code
 * client.call(ADD, args, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200)));
 * client.call(LOG, line, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
 * client.call(GET, key, CallOptions.DEFAULT.withCredentials(Credentials.opaque(BEARER, token)));
 * }</pre>
 *
 * <p>A call's own credentials (grpc-java's {@code CallOptions.withCallCredentials}) go in place of
 * the client's ({@link RpcClientBuilder#credentials}) with that call only, over every transport
 * and I/O strategy, through a {@code DirectoryClient} too; a client interceptor may set them per
 * call ({@link ClientCall#options(CallOptions)}). They are encoded once, as the call starts: each
 * retransmission carries the same bytes, so that a server's at-most-once cache, which keys on
 * them, knows it for the call it repeats. A credential fetched asynchronously (a token refreshed)
 * is fetched first: {@code tokens.get().thenCompose(t -> client.callAsync(P, a,
 * options.withCredentials(t)))}. Their {@code toString()} shows a credential's flavor and size,
 * never an opaque body.
 *
 * @param semantics the promise for this call; null: the procedure's
 * @param deadline the whole time budget across every attempt; null: the client's
 * @param attemptTimeout how long one transmission waits for its reply before the next;
 *     null: the client's
 * @param credentials who this call says it comes from; null: the client's
 */
public record CallOptions(CallSemantics semantics, Duration deadline, Duration attemptTimeout,
    Credentials credentials) {
  /**
   * The longest deadline or attempt timeout: about nine years. A longer one, such as {@code
   * ChronoUnit.FOREVER.getDuration()} for "no deadline", is taken as this one.
   */
  public static final Duration LONGEST = Checks.LONGEST;

  /** Every choice left to the procedure and the client. */
  public static final CallOptions DEFAULT = new CallOptions(null, null, null, null);

  /**
   * Options with the client's credentials, as before calls had their own.
   *
   * @param semantics the promise, or null for the procedure's own
   * @param deadline the whole time the call may take, or null for the client's timeout
   * @param attemptTimeout the first transmission's wait for a reply, or null for the client's
   * @throws IllegalArgumentException if a duration is zero or negative
   */
  public CallOptions(CallSemantics semantics, Duration deadline, Duration attemptTimeout) {
    this(semantics, deadline, attemptTimeout, null);
  }

  /**
   * Rejects non-positive durations; takes one longer than {@link #LONGEST} as {@code LONGEST}.
   *
   * @param semantics the promise, or null for the procedure's own
   * @param deadline the whole time the call may take, or null for the client's timeout
   * @param attemptTimeout the first transmission's wait for a reply, or null for the client's
   * @param credentials the call's own credentials, or null for the client's
   * @throws IllegalArgumentException if a duration is zero or negative
   */
  public CallOptions {
    if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
      throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
    }
    deadline = deadline == null ? null : Checks.capped(deadline);
    attemptTimeout = attemptTimeout == null ? null : Checks.capped(attemptTimeout);
  }

  /**
   * These options with another promise.
   *
   * @param semantics the promise; not null
   * @return new options
   */
  public CallOptions withSemantics(CallSemantics semantics) {
    return new CallOptions(Objects.requireNonNull(semantics, "semantics"), deadline, attemptTimeout,
        credentials);
  }

  /**
   * These options with another deadline.
   *
   * @param deadline more than zero; not null
   * @return new options
   * @throws IllegalArgumentException if {@code deadline} is zero or negative
   */
  public CallOptions withDeadline(Duration deadline) {
    return new CallOptions(semantics, Objects.requireNonNull(deadline, "deadline"), attemptTimeout,
        credentials);
  }

  /**
   * These options with another per-attempt timeout.
   *
   * @param attemptTimeout more than zero; not null
   * @return new options
   * @throws IllegalArgumentException if {@code attemptTimeout} is zero or negative
   */
  public CallOptions withAttemptTimeout(Duration attemptTimeout) {
    return new CallOptions(semantics, deadline, Objects.requireNonNull(attemptTimeout, "attemptTimeout"),
        credentials);
  }

  /**
   * These options with the call's own credentials, sent in place of the client's: an AUTH_SYS
   * identity per request on a shared client, a token of a flavor of one's own ({@link
   * Credentials#opaque}), or {@link Credentials#NONE}.
   *
   * @param credentials what the call says of its caller; not null
   * @return new options
   */
  public CallOptions withCredentials(Credentials credentials) {
    return new CallOptions(semantics, deadline, attemptTimeout,
        Objects.requireNonNull(credentials, "credentials"));
  }
}
