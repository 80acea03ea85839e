package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The objects a user logs say which they are: where a server listens and what it serves, where a
 * client calls, what a directory client looks for and where. Before, each printed as
 * {@code RpcServer@1b6d3586}.
 */
class PrintedObjectsTest {
  private static final int PROGRAM = 0x20000777;

  @Test
  void aServerSaysWhereItListensAndWhatItServes() throws Exception {
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(service(1)).addService(service(2)).build();
    assertEquals("RpcServer[not started; serving program 0x20000777 version 1, program 0x20000777"
        + " version 2]", server.toString());
    try (RpcServer s = server.start()) {
      assertEquals("RpcServer[127.0.0.1:" + s.port() + " [TCP, UDP]; serving program 0x20000777 version 1,"
          + " program 0x20000777 version 2]", s.toString());
    }
    assertTrue(server.toString().startsWith("RpcServer[closed; "), server.toString());
  }

  /** A server of many versions names the first few and counts the rest: a log line stays short. */
  @Test
  void aServerOfManyVersionsNamesAFew() {
    var b = RpcServer.builder().directory(Directory.none());
    for (int v = 1; v <= 100; v++) {
      b.addService(service(v));
    }
    String printed = b.build().toString();
    assertTrue(printed.endsWith("program 0x20000777 version 8 and 92 more]"), printed);
    assertTrue(printed.length() < 400, printed);
  }

  @Test
  void aClientSaysWhereItCalls() {
    RpcClient client = RpcClient.builder().address("localhost", 4711).transport(Transport.UDP).build();
    assertEquals("RpcClient[udp localhost:4711]", client.toString());
    client.close();
    assertEquals("RpcClient[udp localhost:4711, closed]", client.toString());
  }

  @Test
  void aDirectoryClientSaysWhatItLooksForAndWhere() {
    // The RemoteDirectory is the caller's to close, not the DirectoryClient's: left open, it
    // holds the shared event loops for the rest of the JVM (ClosedMidSetupTest then skips).
    try (RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", 4111);
        DirectoryClient byName = DirectoryClient.builder()
            .directory(directory).service("com.example.Calc").build();
        DirectoryClient byNumber = DirectoryClient.builder()
            .directory(directory).program(PROGRAM, 3).transport(Transport.UDP)
            .build()) {
      assertEquals("DirectoryClient[com.example.Calc over tcp, directory at 127.0.0.1:4111]", byName.toString());
      assertEquals("DirectoryClient[program 0x20000777 version 3 over udp, directory at 127.0.0.1:4111]",
          byNumber.toString());
    }
  }

  /** A name of any length, with a line break: one short line all the same. */
  @Test
  void aLongNameIsEscapedAndCutShort() {
    try (RemoteDirectory directory = RemoteDirectory.at("127.0.0.1", 4111);
        DirectoryClient client = DirectoryClient.builder()
            .directory(directory).service("com.example\n" + "x".repeat(10_000)).build()) {
      String printed = client.toString();
      assertTrue(printed.startsWith("DirectoryClient[com.example\\x0axxx"), printed);
      assertTrue(printed.contains("... (10012 characters) over tcp, directory at 127.0.0.1:4111]"), printed);
      assertTrue(printed.length() < 400, printed);
    }
  }

  @Test
  void aDirectoryServerSaysWhereItListens() throws Exception {
    try (LocalDirectory served = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(served).build().start()) {
      assertEquals("DirectoryServer[127.0.0.1:" + directory.port() + " [TCP, UDP]; serving local directory"
          + " over in-memory store of at most " + InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES + " entries]",
          directory.toString());
    }
  }

  private static ServiceDefinition service(int version) {
    return ServiceDefinition.builder(PROGRAM, version)
        .procedure(new Procedure<>(PROGRAM, version, 1, "Printed.echo", XdrCodecs.INT, XdrCodecs.INT),
            (x, ctx) -> x)
        .build();
  }
}
