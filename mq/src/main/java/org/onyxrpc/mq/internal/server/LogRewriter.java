package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes the compacted logs of a host's queues off its owner thread, so that rewriting a queue
 * of a gigabyte stalls no other queue's calls. One background thread writes the new file aside
 * and forces it; the owner thread then gets it back, appends what the old log took meanwhile and
 * renames it into place ({@link QueueLog}). The background thread only writes the file it is
 * given: every log's state stays with the owner thread.
 */
final class LogRewriter implements AutoCloseable {
  /** Where a rewrite has got to: the places a {@link Hook} is called. */
  enum Step {
    /** On the owner thread: the rewrite begins, the held messages are taken. */
    STARTED,
    /** In the background: one more record is written aside (the CREATE record first). */
    RECORD_WRITTEN,
    /** In the background: the file aside is whole and forced. */
    ASIDE_WRITTEN,
    /** In the background: a long part of what the old log took meanwhile is appended aside. */
    TAIL_COPIED_ASIDE,
    /** On the owner thread: the rest of what the old log took meanwhile is appended aside and forced. */
    TAIL_COPIED,
    /** On the owner thread: the file aside is renamed into place and the log's; the directory is not forced yet. */
    RENAMED,
    /** On the owner thread: done, the directory forced. */
    SWAPPED,
    /** On the owner thread: the rewrite failed or was abandoned; the old log stays. */
    GAVE_UP
  }

  /** Told each step, on the thread that takes it (tests stop a rewrite there, or fail it). */
  @FunctionalInterface
  interface Hook {
    Hook NONE = (step, log) -> { };

    /** A failure thrown here fails the rewrite at that step (ignored at SWAPPED and GAVE_UP). */
    void reached(Step step, Path log) throws IOException;
  }

  private final Executor writer;
  private final Executor owner;
  private final Hook hook;
  private final ExecutorService ownWriter;

  /** Over a writer and the owner thread that are given (tests run both inline). */
  LogRewriter(Executor writer, Executor owner, Hook hook) {
    this(writer, owner, hook, null);
  }

  private LogRewriter(Executor writer, Executor owner, Hook hook, ExecutorService ownWriter) {
    this.writer = writer;
    this.owner = owner;
    this.hook = hook;
    this.ownWriter = ownWriter;
  }

  /**
   * With one background thread of its own, started when a rewrite comes and gone when idle. Its
   * queue holds at most one rewrite per hosted queue (a log has one at a time under way).
   */
  static LogRewriter background(Executor owner, Hook hook) {
    ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "onyx-mq-log-rewrite");
      t.setDaemon(true);
      return t;
    });
    thread.allowCoreThreadTimeOut(true);
    return new LogRewriter(thread, owner, hook, thread);
  }

  /** Tells the hook of a step taken on the owner thread; what it throws fails the rewrite there. */
  void reached(Step step, Path log) throws IOException {
    hook.reached(step, log);
  }

  /** Tells the hook of the end of a rewrite, which nothing can fail any more. */
  void ended(Step step, Path log) {
    try {
      hook.reached(step, log);
    } catch (IOException e) {
      // Only tests listen, and the rewrite is over.
    }
  }

  /**
   * Writes {@code createRecord} and a SEND record per message of {@code held} to {@code aside}
   * and forces it, in the background; then runs {@code done} on the owner thread with null, or
   * the failure. If the owner has stopped, nothing runs: the host closed, and abandoned its
   * rewrites first.
   */
  void write(Path log, FileChannel aside, byte[] createRecord, List<StoredMessage> held,
      Consumer<IOException> done) {
    inBackground(() -> {
      LogFiles.writeFully(aside, createRecord);
      hook.reached(Step.RECORD_WRITTEN, log);
      for (StoredMessage m : held) {
        LogFiles.writeFully(aside, LogRecords.send(m));
        hook.reached(Step.RECORD_WRITTEN, log);
      }
      aside.force(true);
      hook.reached(Step.ASIDE_WRITTEN, log);
    }, done);
  }

  /**
   * Appends the bytes of {@code log}'s channel {@code from} from {@code start} to {@code end}
   * (written and forced already, so fixed) to {@code aside} in the background; then runs
   * {@code done} on the owner thread as {@link #write} does.
   */
  void copy(Path log, FileChannel from, long start, long end, FileChannel aside, Consumer<IOException> done) {
    inBackground(() -> {
      LogFiles.copyTail(from, start, end, aside);
      hook.reached(Step.TAIL_COPIED_ASIDE, log);
    }, done);
  }

  /** What the background thread does; a failure is handed to the owner thread. */
  @FunctionalInterface
  private interface Work {
    void run() throws IOException;
  }

  private void inBackground(Work work, Consumer<IOException> done) {
    Runnable task = () -> {
      IOException failure = null;
      try {
        work.run();
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        // The owner hears of any failure: else the rewrite stays under way for good, its file
        // aside open, and the log is never compacted again.
        failure = new IOException("the rewrite failed: " + e, e);
      }
      IOException outcome = failure;
      try {
        owner.execute(() -> done.accept(outcome));
      } catch (RejectedExecutionException e) {
        // The host closed; closing abandoned the rewrite and removed its file.
      }
    };
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      done.accept(new IOException("the queue host is closing"));
    }
  }

  /** Stops the background thread; the host has abandoned every rewrite before. */
  @Override
  public void close() {
    if (ownWriter != null) {
      ownWriter.shutdownNow();
    }
  }
}
