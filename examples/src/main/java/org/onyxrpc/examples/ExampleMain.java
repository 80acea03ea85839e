package org.onyxrpc.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.onyxrpc.rpc.RpcException;

/**
 * How an example's {@code main} fails when a person got something wrong (a mistyped flag, a
 * client started before its server, a port already in use): one line on standard error and an
 * exit status, as a command would, not a stack trace.
 */
public final class ExampleMain {
  /** Status of a bad command line. */
  static final int USAGE = 2;
  /** Status of a failure the example expects: a server it cannot reach, an address in use. */
  static final int FAILED = 1;

  private ExampleMain() {}

  /** An example's {@code main}, before its failures are told. */
  @FunctionalInterface
  public interface Body {
    /** Runs the example. */
    void run() throws Exception;
  }

  /**
   * Runs {@code body}; when it fails as {@link #status} tells, prints that line and exits the JVM
   * with the status.
   */
  public static void run(String name, Body body) throws Exception {
    int status = status(name, body, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs {@code body} and returns 0; or, when it throws what a person causes, prints {@code
   * name: message} to {@code err} and returns {@link #USAGE} for a bad argument, {@link #FAILED}
   * for a failed call, an address it cannot listen on or I/O threads it cannot start. Anything else
   * is a defect: it is thrown.
   */
  public static int status(String name, Body body, PrintStream err) throws Exception {
    try {
      body.run();
      return 0;
    } catch (Exception e) {
      Exception told = unwrapped(e);
      if (told instanceof IllegalArgumentException) {
        err.println(name + ": " + told.getMessage());
        return USAGE;
      }
      if (told instanceof RpcException failed) {
        err.println(name + ": " + failed.status() + ": " + failed.getMessage());
        return FAILED;
      }
      if (told instanceof IOException) {
        err.println(name + ": " + told.getMessage());
        return FAILED;
      }
      // The runtime's I/O threads could not start: too few file descriptors (ulimit -n), say.
      if (told instanceof UncheckedIOException io) {
        err.println(name + ": " + io.getMessage());
        return FAILED;
      }
      throw e;
    }
  }

  /** An asynchronous call's failure, as {@code join()} or {@code get()} wraps it, is the call's own. */
  private static Exception unwrapped(Exception e) {
    return (e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() instanceof Exception cause ? cause : e;
  }
}
