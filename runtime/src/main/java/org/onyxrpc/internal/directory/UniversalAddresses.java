package org.onyxrpc.internal.directory;

import org.onyxrpc.directory.UniversalAddress;

/** Checks on universal addresses that the rpcbind server and the remote directory both make. */
public final class UniversalAddresses {
  private UniversalAddresses() {}

  /**
   * Whether {@code uaddr} is a universal address {@link UniversalAddress#parse} reads.
   *
   * @param uaddr the text a peer sent
   * @return true if it parses
   */
  public static boolean parses(String uaddr) {
    try {
      UniversalAddress.parse(uaddr);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
