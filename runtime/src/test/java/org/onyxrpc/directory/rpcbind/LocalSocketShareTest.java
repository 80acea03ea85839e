package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * The local socket is where servers made by rpcgen register, and nowhere else: one user who
 * opens connections to it and holds them (each lives until the directory's idle timeout, 5 min)
 * takes at most half of its places, so other users' servers still register. Before, one user
 * took all 256.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketShareTest {
  @TempDir
  Path dir;

  /** True if a NULL call through {@code ch} is answered; false if the relay closed it. */
  private static boolean answered(SocketChannel ch) throws IOException {
    byte[] call = RawTcpPeer.call(1, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 0, OpaqueAuth.NONE, new byte[0]);
    ByteBuffer out = ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).flip();
    try {
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ByteBuffer reply = ByteBuffer.allocate(4 + 24);
      while (reply.hasRemaining()) {
        if (ch.read(reply) < 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false; // reset by the relay
    }
  }

  private static SocketChannel connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    return ch;
  }

  @Test
  void oneUidHoldsAtMostHalfOfTheLocalConnections() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    List<SocketChannel> held = new ArrayList<>();
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket)) {
      for (int i = 0; i < RelaySlots.MAX_CONNECTIONS_PER_UID; i++) {
        SocketChannel ch = connect(socket);
        held.add(ch);
        assertTrue(answered(ch), "connection " + i);
      }
      try (SocketChannel beyond = connect(socket)) {
        assertFalse(answered(beyond), "past this uid's share");
      }
      // A place given back is taken again (the relay hears of the close a moment later).
      held.remove(0).close();
      Await.until(() -> {
        try (SocketChannel again = connect(socket)) {
          return answered(again);
        } catch (IOException e) {
          return false;
        }
      });
      assertEquals(RelaySlots.MAX_CONNECTIONS_PER_UID - 1, held.size());
    } finally {
      for (SocketChannel ch : held) {
        ch.close();
      }
    }
  }

  @Test
  void aClosedDirectorysConnectionsCountNothingInTheNext() throws Exception {
    List<SocketChannel> held = new ArrayList<>();
    try {
      Path first = dir.resolve("first.sock");
      try (DirectoryFixture fixture = new DirectoryFixture(0, first)) {
        for (int i = 0; i < RelaySlots.MAX_CONNECTIONS_PER_UID; i++) {
          SocketChannel ch = connect(first);
          held.add(ch);
          assertTrue(answered(ch), "connection " + i);
        }
      } // closed while its connections are still open at this end
      Path second = dir.resolve("second.sock");
      try (DirectoryFixture fixture = new DirectoryFixture(0, second)) {
        for (int i = 0; i < RelaySlots.MAX_CONNECTIONS_PER_UID; i++) {
          try (SocketChannel ch = connect(second)) {
            assertTrue(answered(ch), "a new directory gives this uid its whole share: " + i);
          }
        }
      }
    } finally {
      for (SocketChannel ch : held) {
        ch.close();
      }
    }
  }

  /**
   * A directory closed while local connections are open forgets their owners: a relayed
   * connection's source address stays credited with its uid no longer than the relay lives, or a
   * plain TCP caller that later gets the same loopback port, to any directory of the JVM, would
   * speak as that uid (seen as NamesAndLeasesTest finding a TCP registration owned by root).
   */
  @Test
  void aClosedDirectoryForgetsTheOwnersOfItsConnections() throws Exception {
    List<SocketChannel> held = new ArrayList<>();
    try {
      Path socket = dir.resolve("forgets.sock");
      try (DirectoryFixture fixture = new DirectoryFixture(0, socket)) {
        for (int i = 0; i < RelaySlots.MAX_CONNECTIONS_PER_UID; i++) {
          SocketChannel ch = connect(socket);
          held.add(ch);
          assertTrue(answered(ch), "connection " + i);
        }
      } // closed while its connections are still open at this end
      assertEquals(0, LocalSocketRelay.ownedSources(), "owners of connections the relay no longer has");
    } finally {
      for (SocketChannel ch : held) {
        ch.close();
      }
    }
  }
}
