package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcCaller;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.Checks;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * Calls a service found in a {@link Directory}, spreading calls over its live instances round
 * robin. Look-ups are cached (30 s by default) and refreshed early when an instance fails. An
 * instance that cannot be reached, refuses the program ({@code PROG_UNAVAIL}, as a server
 * shutting down answers every call), or lets a call go unanswered, is dropped for a while (10 s
 * by default) and the cache refreshed. The call then goes to the next instance only if that
 * cannot run it twice: it never left this process ({@code UNAVAILABLE}), was refused {@code
 * PROG_UNAVAIL}, or it is {@code AT_LEAST_ONCE} (idempotent). When no instance known is left to try, the directory is asked
 * again first, so that a server restarted on another port is found by the very call that failed
 * on its old one. Each instance is tried at most once per call, and a call tries at most twice
 * {@link DirectoryClientBuilder#maxInstances(int)} instances (a look-up's worth, and as many
 * again that look-ups after failures named) within its deadline; otherwise the failure reaches
 * the caller. A call that may have run at an instance (an at-least-once call unanswered there)
 * and was then refused by the next is told the first instance's failure, never {@code
 * UNAVAILABLE}, which would say it ran nowhere.
 *
 * <pre>{@code
 * try (DirectoryClient calculator = DirectoryClient.builder()
 *     .directory(RemoteDirectory.at("localhost"))
 *     .service("com.example.calc.Calculator")
 *     .clientOptions(b -> b.timeout(Duration.ofSeconds(5)))
 *     .build()) {
 *   long sum = calculator.call(CalculatorV1.ADD, new AddArgs(2, 40));
 *   CalculatorV1.Calculator typed = CalculatorV1.newClient(calculator); // a generated stub
 * }
 * }</pre>
 *
 * <p>The directory is trusted: calls go to whatever host and port its look-ups name. A
 * directory that lies sends them, with their credentials, wherever it likes; where that matters,
 * call over TLS with the name the server must prove ({@code ClientTls.withServerName}, through
 * {@link DirectoryClientBuilder#clientOptions}).
 *
 * <p>Thread-safe. One {@link RpcClient} (one connection) is kept per instance in use, at most
 * {@link DirectoryClientBuilder#maxInstances(int)} of them per program version called. The client
 * of an instance dropped (or no longer listed) takes no new call and is closed once the calls in
 * flight on it have ended, each as it would have: its reply, or its own failure and failover.
 */
public final class DirectoryClient implements RpcCaller, AutoCloseable {
  private final DirectoryClientConfig config;
  private final InstanceCache instances;

  DirectoryClient(DirectoryClientConfig config) {
    this.config = config;
    this.instances = new InstanceCache(config);
  }

  /**
   * What the client looks for and where, for a log line: {@code DirectoryClient[com.example.Calc
   * over tcp, directory at localhost:111]}.
   *
   * @return the description, of bounded length
   */
  @Override
  public String toString() {
    String wanted = config.name() != null ? config.name()
        : ProgramVersion.describe(config.program(), config.version());
    return "DirectoryClient[" + RateLimitedLog.shortText(wanted) + " over " + config.transport().netid()
        + ", " + RateLimitedLog.shortText(String.valueOf(config.directory())) + "]";
  }

  /**
   * A builder; a directory's instances are named by {@code service(name)} or {@code program(p, v)}.
   *
   * @return a new builder
   */
  public static DirectoryClientBuilder builder() {
    return new DirectoryClientBuilder();
  }

  /**
   * Calls {@code procedure} on the next live instance of its program version and waits.
   *
   * @throws RpcException UNAVAILABLE when no instance is registered or reachable, or the call's
   *     own failure
   */
  @Override
  public <A, R> R call(Procedure<A, R> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return callEach(procedure, semantics(procedure, options), options,
        (c, o) -> c.call(procedure, args, o));
  }

  /** Calls {@code procedure} on the next live instance without waiting. */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return async(procedure, semantics(procedure, options), options,
        (c, o) -> c.callAsync(procedure, args, o));
  }

  /** Sends a one-way call to the next live instance. */
  @Override
  public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return async(procedure, CallSemantics.MAYBE, options, (c, o) -> c.send(procedure, args, o));
  }

  @Override
  public <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    callEach(procedure, CallSemantics.MAYBE, options, (c, o) -> {
      c.sendAndWait(procedure, args, o);
      return null;
    });
  }

  /**
   * Makes a waiting call on the next live instance, and on the next untried one for as long as
   * {@link #failedOver} allows: each instance at most once, those a look-up made after a failure
   * names included, at most {@link #mostTried} of them, each within what is left of the call's
   * deadline.
   */
  private <R> R callEach(Procedure<?, ?> procedure, CallSemantics semantics, CallOptions options,
      BiFunction<RpcClient, CallOptions, R> call) {
    Duration deadline = options.deadline();
    long start = deadline == null ? 0 : System.nanoTime();
    InetSocketAddress target = instances.next(procedure, deadline);
    TriedInstances tried = null; // made by the first failure: a call that succeeds pays nothing
    CallOptions attempt = options;
    while (true) {
      InstanceClient client = instances.enter(target);
      RpcException failure;
      try {
        return call.apply(client.client(), attempt);
      } catch (RpcException e) {
        failure = e;
      } finally {
        client.exit(); // before the drop that failedOver may make, which then closes it
      }
      if (!failedOver(target, failure, semantics)) {
        throw TriedInstances.told(tried, failure);
      }
      tried = TriedInstances.with(tried, target, failure);
      if (tried.size() >= mostTried()) {
        throw gaveUp(tried.told(failure), tried.size());
      }
      Duration left = left(deadline, start);
      if (left != null && left.isZero()) {
        instances.ready(); // the look-up the failure made due goes on, for the next calls
        throw tried.told(failure); // its deadline has passed: nothing more may be tried
      }
      target = instances.untried(procedure, tried.addresses(), left);
      left = left(deadline, start); // the look-up took its part
      if (target == null || left != null && left.isZero()) {
        throw tried.told(failure);
      }
      attempt = left == null ? options : options.withDeadline(left);
    }
  }

  /**
   * Most instances one call tries: a look-up's worth, and as many again that the look-ups after
   * its failures named. Before, a directory that named new instances at each look-up (each at a
   * port where nothing listens) held a call for as long as it went on, a connection each.
   */
  private int mostTried() {
    return (int) Math.min(Integer.MAX_VALUE, 2L * config.maxInstances());
  }

  /** The last failure of a call that tried {@code tried} instances, {@link #mostTried}. */
  private RpcException gaveUp(RpcException last, int tried) {
    return new RpcException(last.status(), last.getMessage() + "; tried " + tried + " instances of "
        + RateLimitedLog.shortText(String.valueOf(config.name() != null ? config.name()
            : ProgramVersion.describe(config.program(), config.version())))
        + ", as many as one call tries (twice maxInstances): the look-ups after its failures kept naming"
        + " instances it had not tried",
        last);
  }

  /** What is left of {@code deadline} (null: none) since {@code start}, zero once it has passed. */
  private static Duration left(Duration deadline, long start) {
    if (deadline == null) {
      return null;
    }
    long left = deadline.toNanos() - (System.nanoTime() - start);
    return Duration.ofNanos(Math.max(0, left));
  }

  /**
   * Calls the NULL procedure of a program version on the next live instance.
   *
   * @param program the program number
   * @param version the version number
   * @throws RpcException if the call fails, as any call of this client
   */
  public void ping(int program, int version) {
    call(Procedure.nullPing(program, version).withSemantics(CallSemantics.AT_MOST_ONCE), null);
  }

  /**
   * The instances calls go to now (for a program version), after a look-up if needed.
   *
   * @param program the program number
   * @param version the version number
   * @return the addresses of the instances not left out
   */
  public List<InetSocketAddress> instances(int program, int version) {
    return instances.candidates(program, version);
  }

  /**
   * An asynchronous call never waits for the directory: a look-up it needs is made on a
   * directory worker (it may be called on an event loop, from another call's callback). With
   * nothing known, its future waits for that look-up at most the call's {@code deadline}.
   */
  private <R> CompletableFuture<R> async(Procedure<?, ?> procedure, CallSemantics semantics, CallOptions options,
      BiFunction<RpcClient, CallOptions, CompletableFuture<R>> call) {
    Duration deadline = options.deadline();
    long start = deadline == null ? 0 : System.nanoTime();
    CompletableFuture<R> result = new CompletableFuture<>();
    instances.ready(deadline).whenComplete((known, failure) -> {
      if (failure != null) {
        RpcException e = unwrap(failure);
        result.completeExceptionally(e != null ? e : failure);
        return;
      }
      InetSocketAddress target;
      try {
        target = instances.nextKnown(procedure);
      } catch (RpcException e) {
        result.completeExceptionally(e);
        return;
      }
      attempt(procedure, semantics, options, options, start, call, target, null, result);
    });
    return result;
  }

  /**
   * Calls {@code target} with {@code now}: the call's {@code options}, made at {@code start}, with
   * what is left of their deadline once an instance failed; {@code tried}: the instances that
   * failed this call, null before any.
   */
  private <R> void attempt(Procedure<?, ?> procedure, CallSemantics semantics, CallOptions options,
      CallOptions now, long start, BiFunction<RpcClient, CallOptions, CompletableFuture<R>> call,
      InetSocketAddress target, TriedInstances tried, CompletableFuture<R> result) {
    if (result.isDone()) {
      return; // cancelled meanwhile
    }
    instances.ready(); // a look-up due (an instance was dropped) goes on meanwhile
    CompletableFuture<R> inner;
    InstanceClient client;
    try {
      client = instances.enter(target);
    } catch (RpcException e) {
      result.completeExceptionally(TriedInstances.told(tried, e));
      return;
    }
    try {
      inner = call.apply(client.client(), now);
    } catch (RpcException e) {
      client.exit();
      result.completeExceptionally(TriedInstances.told(tried, e));
      return;
    } catch (RuntimeException | Error e) {
      client.exit();
      throw e;
    }
    // The caller's future ended first (cancelled, orTimeout): the call under way is given up.
    result.whenComplete((v, t) -> {
      if (!inner.isDone()) {
        inner.cancel(true);
      }
    });
    inner.whenComplete((value, failure) -> {
      client.exit(); // before the drop that failedOver may make, which then closes it
      if (failure == null) {
        result.complete(value);
        return;
      }
      RpcException e = unwrap(failure);
      if (e == null || !failedOver(target, e, semantics)) {
        result.completeExceptionally(e == null ? failure : TriedInstances.told(tried, e));
        return;
      }
      // Tried again after the look-up the failure made due, which may name where the server went.
      TriedInstances triedNow = TriedInstances.with(tried, target, e);
      if (triedNow.size() >= mostTried()) {
        result.completeExceptionally(gaveUp(triedNow.told(e), triedNow.size()));
        return;
      }
      Duration deadline = options.deadline();
      Duration left = left(deadline, start);
      if (left != null && left.isZero()) {
        instances.ready(); // the look-up the failure made due goes on, for the next calls
        result.completeExceptionally(triedNow.told(e)); // its deadline has passed: nothing more may be tried
        return;
      }
      instances.lookedUp(left).whenComplete((ignored, lookUpFailure) -> {
        InetSocketAddress next = instances.untriedKnown(procedure, triedNow.addresses());
        Duration leftNow = left(deadline, start); // the look-up took its part
        if (next == null || leftNow != null && leftNow.isZero()) {
          result.completeExceptionally(triedNow.told(e));
        } else {
          attempt(procedure, semantics, options, leftNow == null ? options : options.withDeadline(leftNow),
              start, call, next, triedNow, result);
        }
      });
    });
  }

  /**
   * Whether a failed call may go to another instance: it never left (UNAVAILABLE), the instance
   * refused it PROG_UNAVAIL (nothing ran: a server shutting down refuses every call so, and one
   * that does not serve the program is no instance), or running it again elsewhere is harmless
   * (AT_LEAST_ONCE) and it went unanswered. An instance that could not be reached, refused the
   * program or let the call time out is dropped, which makes a look-up due.
   */
  private boolean failedOver(InetSocketAddress target, RpcException e, CallSemantics semantics) {
    RpcStatus s = e.status();
    boolean notRun = s == RpcStatus.UNAVAILABLE || s == RpcStatus.PROG_UNAVAIL;
    if (notRun || s == RpcStatus.TIMEOUT) {
      instances.drop(target);
    }
    boolean unanswered = s == RpcStatus.TIMEOUT || s == RpcStatus.OUTCOME_UNKNOWN;
    boolean harmless = notRun || (unanswered && semantics == CallSemantics.AT_LEAST_ONCE);
    return harmless;
  }

  private static CallSemantics semantics(Procedure<?, ?> procedure, CallOptions options) {
    return options.semantics() != null ? options.semantics() : procedure.semantics();
  }

  private static RpcException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof RpcException e ? e : null;
  }

  /** Closes every connection. */
  @Override
  public void close() {
    instances.close();
  }
}
