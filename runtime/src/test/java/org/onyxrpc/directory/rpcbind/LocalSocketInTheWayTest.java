package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is at the local socket's path before the relay starts: only a socket nobody listens on
 * (left by a process that died) is replaced. Before, the relay deleted whatever was there: a
 * running rpcbind's /run/rpcbind.sock (so libtirpc's servers registered with the Onyx directory
 * and rpcbind lost its socket), or, given a wrong path as root, any file.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LocalSocketInTheWayTest {
  private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 1);

  @TempDir
  Path dir;

  @Test
  void aFileThatIsNotASocketIsRefusedAndKept() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
    IOException e = assertThrows(IOException.class, () -> LocalSocketRelay.start(file, NOWHERE));
    assertEquals("cannot listen on " + file + ": it exists and is not a socket", e.getMessage());
    assertEquals("keep me", Files.readString(file));
  }

  @Test
  void aSocketARunningServerListensOnIsRefusedAndKeepsServing() throws Exception {
    Path path = dir.resolve("rpcbind.sock");
    try (ServerSocketChannel rpcbind = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      rpcbind.bind(UnixDomainSocketAddress.of(path));
      IOException e = assertThrows(IOException.class, () -> LocalSocketRelay.start(path, NOWHERE));
      assertTrue(e.getMessage().startsWith("cannot listen on " + path + ": a running server listens on it"),
          e.getMessage());
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
          SocketChannel accepted = rpcbind.accept()) {
        assertTrue(accepted.isConnected(), "the running server no longer gets the connections at its path");
      }
    }
  }

  @Test
  void aStaleSocketIsReplacedAndTheRelaysOwnRemovedOnClose() throws Exception {
    Path path = dir.resolve("stale.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(path));
    }
    assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "closing a channel leaves its socket file");
    try (LocalSocketRelay relay = LocalSocketRelay.start(path, NOWHERE);
        SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      assertTrue(client.isConnected());
    }
    assertTrue(Files.notExists(path, LinkOption.NOFOLLOW_LINKS), "the relay's socket file was left behind");
  }

  @Test
  void closeLeavesASocketPutAtThePathSince() throws Exception {
    Path path = dir.resolve("rpcbind.sock");
    LocalSocketRelay relay = LocalSocketRelay.start(path, NOWHERE);
    // rpcbind, started while the relay ran (its socket replaces the relay's file, as rpcbind does).
    Files.delete(path);
    try (ServerSocketChannel rpcbind = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      rpcbind.bind(UnixDomainSocketAddress.of(path));
      relay.close();
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the relay's close removed another server's socket");
    }
  }
}
