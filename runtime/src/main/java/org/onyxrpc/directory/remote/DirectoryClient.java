package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
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
 * on its old one. Each instance is tried at most once per call; otherwise the failure reaches the
 * caller.
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
    return callEach(procedure, semantics(procedure, options), options.deadline(),
        c -> c.call(procedure, args, options));
  }

  /** Calls {@code procedure} on the next live instance without waiting. */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return async(procedure, semantics(procedure, options), options.deadline(),
        c -> c.callAsync(procedure, args, options));
  }

  /** Sends a one-way call to the next live instance. */
  @Override
  public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return async(procedure, CallSemantics.MAYBE, options.deadline(), c -> c.send(procedure, args, options));
  }

  @Override
  public <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    callEach(procedure, CallSemantics.MAYBE, options.deadline(), c -> {
      c.sendAndWait(procedure, args, options);
      return null;
    });
  }

  /**
   * Makes a waiting call on the next live instance, and on the next untried one for as long as
   * {@link #failedOver} allows: each instance at most once, those a look-up made after a failure
   * names included.
   */
  private <R> R callEach(Procedure<?, ?> procedure, CallSemantics semantics, Duration deadline,
      Function<RpcClient, R> call) {
    InetSocketAddress target = instances.next(procedure, deadline);
    Set<InetSocketAddress> tried = null; // made by the first failure: a call that succeeds pays nothing
    while (true) {
      InstanceClient client = instances.enter(target);
      RpcException failure;
      try {
        return call.apply(client.client());
      } catch (RpcException e) {
        failure = e;
      } finally {
        client.exit(); // before the drop that failedOver may make, which then closes it
      }
      if (!failedOver(target, failure, semantics)) {
        throw failure;
      }
      tried = triedWith(tried, target);
      target = instances.untried(procedure, tried, deadline);
      if (target == null) {
        throw failure;
      }
    }
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
  private <R> CompletableFuture<R> async(Procedure<?, ?> procedure, CallSemantics semantics, Duration deadline,
      Function<RpcClient, CompletableFuture<R>> call) {
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
      attempt(procedure, semantics, deadline, call, target, null, result);
    });
    return result;
  }

  /** Calls {@code target}; {@code tried}: the instances that failed this call, null before any. */
  private <R> void attempt(Procedure<?, ?> procedure, CallSemantics semantics, Duration deadline,
      Function<RpcClient, CompletableFuture<R>> call, InetSocketAddress target,
      Set<InetSocketAddress> tried, CompletableFuture<R> result) {
    if (result.isDone()) {
      return; // cancelled meanwhile
    }
    instances.ready(); // a look-up due (an instance was dropped) goes on meanwhile
    CompletableFuture<R> inner;
    InstanceClient client;
    try {
      client = instances.enter(target);
    } catch (RpcException e) {
      result.completeExceptionally(e);
      return;
    }
    try {
      inner = call.apply(client.client());
    } catch (RpcException e) {
      client.exit();
      result.completeExceptionally(e);
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
        result.completeExceptionally(e != null ? e : failure);
        return;
      }
      // Tried again after the look-up the failure made due, which may name where the server went.
      Set<InetSocketAddress> triedNow = triedWith(tried, target);
      instances.lookedUp(deadline).whenComplete((ignored, lookUpFailure) -> {
        InetSocketAddress next = instances.untriedKnown(procedure, triedNow);
        if (next == null) {
          result.completeExceptionally(e);
        } else {
          attempt(procedure, semantics, deadline, call, next, triedNow, result);
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

  /** The instances a call has tried, {@code failed} added; made at the call's first failure. */
  private static Set<InetSocketAddress> triedWith(Set<InetSocketAddress> tried, InetSocketAddress failed) {
    Set<InetSocketAddress> all = tried != null ? tried : new HashSet<>();
    all.add(failed);
    return all;
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
