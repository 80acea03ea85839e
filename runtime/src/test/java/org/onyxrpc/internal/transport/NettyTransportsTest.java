package org.onyxrpc.internal.transport;

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
}
