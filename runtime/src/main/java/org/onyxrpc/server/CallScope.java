package org.onyxrpc.server;

import org.onyxrpc.rpc.ProgramVersion;

/**
 * The calls a rule of {@link CertificateAuthenticator} admits: a whole program, one version of
 * it, or one procedure of one version. A scope that admits any procedure of a version also
 * admits that version's bare NULL ping: procedure 0 when the server answers it itself, running
 * none of the service's code, which is how clients ping (and how an Onyx client learns the
 * server's epoch before its first call). A procedure 0 that the program declares and serves
 * (with a result, as rpcgen allows) is authorized like any other procedure: only a scope of its
 * whole program or version, or one that names procedure 0, admits it.
 *
 * @param program the program number
 * @param version the version, or {@link #ANY}
 * @param procedure the procedure, or {@link #ANY}; only with a version
 */
public record CallScope(int program, int version, int procedure) {
  /** Stands for every version or every procedure. */
  public static final int ANY = -1;

  /**
   * Checks that a procedure is named only with its version.
   *
   * @param program the program number
   * @param version the version, or {@link #ANY}
   * @param procedure the procedure, or {@link #ANY}
   * @throws IllegalArgumentException if a procedure is given with {@code ANY} version
   */
  public CallScope {
    if (version == ANY && procedure != ANY) {
      throw new IllegalArgumentException("a procedure needs its version: " + procedure);
    }
  }

  /**
   * Every version and procedure of {@code program}.
   *
   * @param program the program number
   * @return the scope
   */
  public static CallScope program(int program) {
    return new CallScope(program, ANY, ANY);
  }

  /**
   * Every procedure of one version.
   *
   * @param program the program number
   * @param version the version number
   * @return the scope
   */
  public static CallScope version(int program, int version) {
    return new CallScope(program, version, ANY);
  }

  /**
   * One procedure, and the bare NULL ping of its version.
   *
   * @param program the program number
   * @param version the version number
   * @param procedure the procedure number
   * @return the scope
   */
  public static CallScope procedure(int program, int version, int procedure) {
    return new CallScope(program, version, procedure);
  }

  /**
   * True if a call to this program, version and procedure is in the scope. Procedure 0 is
   * treated as one the program serves: see {@link #coversNullPing} for the bare ping.
   *
   * @param program the program called
   * @param version the version called
   * @param procedure the procedure called
   * @return whether the scope admits the call
   */
  public boolean covers(int program, int version, int procedure) {
    return coversNullPing(program, version) && (this.procedure == ANY || this.procedure == procedure);
  }

  /**
   * True if the scope admits the bare NULL ping of this program version (procedure 0 that the
   * server answers itself): every scope that reaches into the version does.
   *
   * @param program the program pinged
   * @param version the version pinged
   * @return whether the scope admits the ping
   */
  public boolean coversNullPing(int program, int version) {
    return this.program == program && (this.version == ANY || this.version == version);
  }

  /**
   * "program 0x20000101 version 1 procedure 3".
   *
   * @param program the program number, in hexadecimal in the text
   * @param version the version number
   * @param procedure the procedure number
   * @return the text, for messages
   */
  public static String describe(int program, int version, int procedure) {
    return ProgramVersion.describe(program, version) + " procedure " + Integer.toUnsignedString(procedure);
  }

  /** Like {@link #describe}, leaving out what is {@link #ANY}. */
  @Override
  public String toString() {
    String p = "program 0x" + Integer.toHexString(program);
    return version == ANY ? p
        : procedure == ANY ? ProgramVersion.describe(program, version)
        : describe(program, version, procedure);
  }
}
