package org.onyxrpc.cli.command;

/**
 * The exit statuses of {@code onyx}, the same for every subcommand (cli/README.md lists them).
 */
public final class ExitCodes {
  /** The command did what it was asked; every call succeeded. */
  public static final int OK = 0;
  /** The IDL has errors, or the directory could not start. */
  public static final int FAILED = 1;
  /**
   * Bad command line, a file that cannot be read, bad JSON, a value that does not fit its type,
   * an unknown service or procedure.
   */
  public static final int USAGE = 2;
  /** The procedure threw one of the exceptions it declares (printed as JSON). */
  public static final int DECLARED_EXCEPTION = 3;
  /** The call failed: an RPC error from the server or the caller's side (printed as JSON). */
  public static final int RPC_ERROR = 4;
  /** {@code ping --health}: the service answered, and is not SERVING. */
  public static final int NOT_SERVING = 5;

  private ExitCodes() {}
}
