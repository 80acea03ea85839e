package org.onyxrpc.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that keep directories in this process: one timer, which only keeps time, and at
 * most {@value #WORKERS} workers that make the calls (registrations, renewals, withdrawals,
 * sweeps), so one slow directory holds up no timer. Shared by every announcement and
 * every local directory that has leases to sweep; made by the first, gone with the last.
 */
public final class DirectoryThreads {
  /** Most workers. */
  public static final int WORKERS = 4;
  /** The one instance, while anyone holds it. */
  public static final SharedResource<DirectoryThreads> SHARED =
      new SharedResource<>(DirectoryThreads::new, DirectoryThreads::close);

  /** Keeps time only: what it runs hands the work to {@link #workers}. */
  public final ScheduledThreadPoolExecutor timer;
  /** Makes the directory calls. */
  public final ExecutorService workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), new DefaultThreadFactory("onyx-directory-lease", true));

  private DirectoryThreads() {
    timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("onyx-directory-timer", true));
    timer.setRemoveOnCancelPolicy(true);
  }

  private void close() {
    timer.shutdownNow(); // only timing: a cancelled renewal need not run
    workers.shutdown(); // calls under way finish
  }
}
