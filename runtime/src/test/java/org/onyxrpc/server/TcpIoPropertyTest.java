package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * {@code org.onyxrpc.server.tcpIo} is the builder's default for how TCP connections are read (as
 * {@code org.onyxrpc.client.ioStrategy} is the client's), so that a test run can serve every TCP
 * connection on threads of their own (runtime-variants/pom.xml's dedicated-tcp execution).
 */
class TcpIoPropertyTest {
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(ServerDefaults.TCP_IO_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(ServerDefaults.TCP_IO_PROPERTY);
    } else {
      System.setProperty(ServerDefaults.TCP_IO_PROPERTY, before);
    }
  }

  @Test
  void withoutThePropertyTheEventLoopsReadTcp() {
    System.clearProperty(ServerDefaults.TCP_IO_PROPERTY);
    assertEquals(TcpIo.EVENT_LOOP, RpcServer.builder().tcpIo);
  }

  @Test
  void thePropertyChoosesTheDefaultAndAnExplicitChoiceWins() {
    System.setProperty(ServerDefaults.TCP_IO_PROPERTY, "DEDICATED_THREAD");
    assertEquals(TcpIo.DEDICATED_THREAD, RpcServer.builder().tcpIo);
    assertEquals(TcpIo.EVENT_LOOP, RpcServer.builder().tcpIo(TcpIo.EVENT_LOOP).tcpIo);
  }

  @Test
  void aServerWithoutTcpIsNotRefusedForTheDedicatedDefault() throws Exception {
    System.setProperty(ServerDefaults.TCP_IO_PROPERTY, "DEDICATED_THREAD");
    // The dedicated TCP mode refuses TLS; a server that serves no TCP is not its to refuse.
    try (RpcServer udp = RpcServer.builder().transports(Transport.UDP).directory(Directory.none())
        .addService(new TestService().definition()).build().start()) {
      assertEquals(0, udp.connections());
    }
  }
}
