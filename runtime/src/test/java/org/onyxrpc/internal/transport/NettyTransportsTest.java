package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

class NettyTransportsTest {
  @Test
  void nativeEpollIsUsedOnLinux() {
    String arch = System.getProperty("os.arch");
    assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("aarch64")), "epoll ships for Linux x86_64/aarch64");
    assertTrue(NettyTransports.epoll(), () -> "epoll did not load: " + Epoll.unavailabilityCause());
  }

  /**
   * Fails before: an application on the module path that did not resolve Netty's native module was
   * told only of an UnsatisfiedLinkError, not what to add to its command line.
   */
  @Test
  void onTheModulePathTheUnixSocketErrorNamesTheNativeModule() {
    String message = NettyTransports.unixSocketsUnavailable(
        new UnsatisfiedLinkError("could not load a native library: netty_transport_native_epoll_x86_64"),
        true, "Linux");
    assertTrue(message.startsWith("Transport.UNIX needs Linux and Netty's native epoll transport"
        + " (java.lang.UnsatisfiedLinkError: could not load a native library"), message);
    assertTrue(message.endsWith("; on the module path, resolve Netty's native module too: --add-modules"
        + " io.netty.transport.epoll.linux.x86_64 (linux.aarch_64 on 64-bit ARM) or ALL-MODULE-PATH"), message);
  }

  @Test
  void onTheClassPathOrOffOrElsewhereItDoesNot() {
    UnsatisfiedLinkError missing = new UnsatisfiedLinkError("no library");
    assertEquals("Transport.UNIX needs Linux and Netty's native epoll transport"
        + " (java.lang.UnsatisfiedLinkError: no library; os.name=Linux)",
        NettyTransports.unixSocketsUnavailable(missing, false, "Linux"));
    assertEquals("Transport.UNIX needs Linux and Netty's native epoll transport"
        + " (turned off by -Dorg.onyxrpc.noEpoll; os.name=Linux)",
        NettyTransports.unixSocketsUnavailable(null, true, "Linux"));
    assertEquals("Transport.UNIX needs Linux and Netty's native epoll transport"
        + " (java.lang.UnsatisfiedLinkError: no library; os.name=Mac OS X)",
        NettyTransports.unixSocketsUnavailable(missing, true, "Mac OS X"));
  }
}
