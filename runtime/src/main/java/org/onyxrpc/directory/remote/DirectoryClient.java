package org.onyxrpc.directory.remote;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Calls a service found in a {@link Directory}, spreading calls over its live instances round
 * robin. Look-ups are cached (30 s by default) and refreshed early when an instance fails. An
 * instance that cannot be reached, or lets a call time out, is dropped for a while (10 s by
 * default) and the cache refreshed. Such a call is tried once more on the next instance only if
 * that cannot run it twice: its procedure is {@code AT_LEAST_ONCE} (idempotent), or the call
 * never left this process (the connection was refused). Otherwise the failure reaches the caller.
 *
 * <pre>{@code
 * try (DirectoryClient calculator = DirectoryClient.builder()
 *     .directory(RemoteDirectory.at("localhost"))
 *     .service("com.example.calc.Calculator")
 *     .clientOptions(b -> b.timeout(Duration.ofSeconds(5)))
 *     .build()) {
 *   long sum = calculator.call(CalculatorV1.ADD, new AddArgs(2, 40));
 * }
 * }</pre>
 *
 * <p>Thread-safe. One {@link RpcClient} (one connection) is kept per instance in use, at most
 * {@link DirectoryClientBuilder#maxInstances(int)} of them.
 */
public final class DirectoryClient implements AutoCloseable {
  private final InstanceCache instances;

  DirectoryClient(DirectoryClientBuilder config) {
    this.instances = new InstanceCache(config);
  }

  /** A builder; a directory's instances are named by {@code service(name)} or {@code program(p, v)}. */
  public static DirectoryClientBuilder builder() {
    return new DirectoryClientBuilder();
  }

  /**
   * Calls {@code procedure} on the next live instance of its program version and waits.
   *
   * @throws RpcException UNAVAILABLE when no instance is registered or reachable, or the call's
   *     own failure
   */
  public <A, R> R call(Procedure<A, R> procedure, A args) {
    try {
      return callAsync(procedure, args).get();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, procedure.describe() + " interrupted", e);
    }
  }

  /** Calls {@code procedure} on the next live instance without waiting. */
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args) {
    return attempt(procedure, args, 1);
  }

  /** Calls the NULL procedure of a program version on the next live instance. */
  public void ping(int program, int version) {
    call(new Procedure<>(program, version, 0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID), null);
  }

  /** The instances calls go to now (for a program version), after a look-up if needed. */
  public List<InetSocketAddress> instances(int program, int version) {
    return instances.candidates(program, version);
  }

  private <A, R> CompletableFuture<R> attempt(Procedure<A, R> procedure, A args, int retries) {
    InetSocketAddress target;
    RpcClient client;
    try {
      target = instances.next(procedure);
      client = instances.client(target);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    client.callAsync(procedure, args).whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
        return;
      }
      RpcException e = unwrap(failure);
      boolean unanswered = e.status() == RpcStatus.TIMEOUT || e.status() == RpcStatus.UNAVAILABLE;
      if (unanswered) {
        instances.drop(target);
      }
      // Another instance may run it again: only when that is harmless, or it never left here.
      boolean again = unanswered && (procedure.semantics() == CallSemantics.AT_LEAST_ONCE || connectFailure(e));
      if (again && retries > 0) {
        attempt(procedure, args, retries - 1).whenComplete((v, t) -> {
          if (t == null) {
            result.complete(v);
          } else {
            result.completeExceptionally(unwrap(t));
          }
        });
      } else {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static boolean connectFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static RpcException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof RpcException e ? e : new RpcException(RpcStatus.INTERNAL, String.valueOf(c), c);
  }

  /** Closes every connection. */
  @Override
  public void close() {
    instances.close();
  }
}
