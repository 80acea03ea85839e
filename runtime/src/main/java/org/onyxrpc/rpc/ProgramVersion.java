package org.onyxrpc.rpc;

/**
 * A program number and version: the unit a server exports and a directory registers.
 *
 * @param program the program number
 * @param version the version number
 */
public record ProgramVersion(int program, int version) {
  /** "program 0x20000101 version 1". */
  @Override
  public String toString() {
    return describe(program, version);
  }

  /**
   * "program 0x20000101 version 1"; programs are shown in hex as rpcgen sources write them.
   *
   * @param program the program number
   * @param version the version number
   * @return the text, for messages
   */
  public static String describe(int program, int version) {
    return "program 0x" + Integer.toHexString(program) + " version "
        + Integer.toUnsignedString(version);
  }
}
