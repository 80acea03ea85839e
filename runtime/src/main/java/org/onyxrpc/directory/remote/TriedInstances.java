package org.onyxrpc.directory.remote;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * The instances one call of a {@link DirectoryClient} failed at, made at its first failure (a
 * call that succeeds pays nothing), and the first failure after which it may have run: an
 * at-least-once call that went unanswered is made again elsewhere, and if the next instance then
 * refuses it (UNAVAILABLE, PROG_UNAVAIL), the caller must still hear that it may have run.
 */
final class TriedInstances {
  private final Set<InetSocketAddress> addresses = new HashSet<>();
  private RpcException mayHaveRun;

  /** Adds {@code failed}, where the call ended with {@code failure}, to those of {@code tried} (null: none yet). */
  static TriedInstances with(TriedInstances tried, InetSocketAddress failed, RpcException failure) {
    TriedInstances all = tried != null ? tried : new TriedInstances();
    all.addresses.add(failed);
    if (all.mayHaveRun == null && mayHaveRun(failure.status())) {
      all.mayHaveRun = failure;
    }
    return all;
  }

  Set<InetSocketAddress> addresses() {
    return addresses;
  }

  int size() {
    return addresses.size();
  }

  /**
   * The failure the caller is told when the call ends with {@code last}: {@code last}, unless it
   * says the call did not run while it may have run at an instance before, whose failure is told
   * then, with {@code last}'s words after it. Before, such a call ended UNAVAILABLE.
   */
  RpcException told(RpcException last) {
    if (mayHaveRun == null || mayHaveRun == last || mayHaveRun(last.status())) {
      return last;
    }
    RpcException told = new RpcException(mayHaveRun.status(), mayHaveRun.getMessage()
        + " (then another instance did not run it: " + last.getMessage() + ")", mayHaveRun);
    told.addSuppressed(last);
    return told;
  }

  /** As {@link #told(RpcException)}, for a call that failed nowhere before ({@code tried} null). */
  static RpcException told(TriedInstances tried, RpcException last) {
    return tried == null ? last : tried.told(last);
  }

  private static boolean mayHaveRun(RpcStatus status) {
    return status != RpcStatus.UNAVAILABLE && status != RpcStatus.PROG_UNAVAIL;
  }
}
