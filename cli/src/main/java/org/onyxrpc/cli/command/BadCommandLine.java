package org.onyxrpc.cli.command;

/**
 * A command line that parsed but says something impossible (a port out of range, a target that is
 * not {@code HOST[:PORT]}, an option that needs another): told as picocli's own parse errors are,
 * one line and then {@code Try 'onyx COMMAND --help' for more information.}, with exit status 2.
 * A mistake in what the command reads (an IDL file, JSON) stays a plain {@link
 * IllegalArgumentException}: its one line says all there is.
 */
public final class BadCommandLine extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * What is wrong.
   *
   * @param message one line, naming the option or argument and the value given
   */
  public BadCommandLine(String message) {
    super(message);
  }
}
