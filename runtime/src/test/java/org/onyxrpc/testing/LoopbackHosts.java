package org.onyxrpc.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Other hosts for tests that need several client addresses on one machine: on Linux every
 * address of 127.0.0.0/8 is this machine's loopback, so a socket bound to 127.0.0.2 reaches a
 * server on 127.0.0.1 as another host would.
 */
public final class LoopbackHosts {
  private LoopbackHosts() {}

  /** The loopback address {@code literal}, such as {@code "127.0.0.2"}. */
  public static InetAddress host(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
