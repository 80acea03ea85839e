package org.onyxrpc.server;

import org.onyxrpc.rpc.ProgramVersion;

/**
 * The calls a rule of {@link CertificateAuthenticator} admits: a whole program, one version of
 * it, or one procedure of one version. A scope that admits any procedure of a version also
 * admits that version's NULL procedure (0), which does nothing and is how clients ping. A
 * program that declares procedure 0 with a result (rpcgen allows it) has its handler run by such
 * calls too: every scope of the version admits it.
 *
 * @param program the program number
 * @param version the version, or {@link #ANY}
 * @param procedure the procedure, or {@link #ANY}; only with a version
 */
public record CallScope(int program, int version, int procedure) {
  /** Stands for every version or every procedure. */
  public static final int ANY = -1;

  /** Checks that a procedure is named only with its version. */
  public CallScope {
    if (version == ANY && procedure != ANY) {
      throw new IllegalArgumentException("a procedure needs its version: " + procedure);
    }
  }

  /** Every version and procedure of {@code program}. */
  public static CallScope program(int program) {
    return new CallScope(program, ANY, ANY);
  }

  /** Every procedure of one version. */
  public static CallScope version(int program, int version) {
    return new CallScope(program, version, ANY);
  }

  /** One procedure, and the NULL procedure of its version. */
  public static CallScope procedure(int program, int version, int procedure) {
    return new CallScope(program, version, procedure);
  }

  /** True if a call to this program, version and procedure is in the scope. */
  public boolean covers(int program, int version, int procedure) {
    return this.program == program
        && (this.version == ANY || this.version == version)
        && (this.procedure == ANY || this.procedure == procedure || procedure == 0);
  }

  /** "program 0x20000101 version 1 procedure 3". */
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
