package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * Two directories with local sockets in one JVM: a relayed connection's uid is credited by the
 * directory it was relayed to only. The uids were kept by the relay's source address alone,
 * shared by every relay in the JVM, and Linux gives one ephemeral port to connections to
 * different destinations at once: a TCP connection from that source to the other directory
 * spoke for the relayed uid there (root's, say), and could change any entry it owns.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSocketTwoDirectoriesTest {
  @TempDir
  Path dir;

  @Test
  void aRelayedUidIsCreditedOnlyByTheDirectoryItWasRelayedTo() throws Exception {
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    // Each "directory" a listener, as DirectoryServer starts its relay to its own address and
    // port: accepting here shows the relayed connection's source, as the directory sees it.
    try (ServerSocket first = new ServerSocket(0, 8, loopback);
        ServerSocket second = new ServerSocket(0, 8, loopback)) {
      InetSocketAddress firstTarget = new InetSocketAddress(loopback, first.getLocalPort());
      InetSocketAddress secondTarget = new InetSocketAddress(loopback, second.getLocalPort());
      Callers firstCallers = new Callers();
      firstCallers.relayingTo(firstTarget);
      Callers secondCallers = new Callers();
      secondCallers.relayingTo(secondTarget);
      try (LocalSocketRelay firstRelay = LocalSocketRelay.start(dir.resolve("first.sock"), firstTarget);
          LocalSocketRelay secondRelay = LocalSocketRelay.start(dir.resolve("second.sock"), secondTarget);
          SocketChannel local = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        local.connect(UnixDomainSocketAddress.of(dir.resolve("first.sock")));
        try (Socket relayed = first.accept()) {
          CallContext fromRelay = new CallContext(1, org.onyxrpc.internal.rpcbind.Rpcb.PROGRAM, 4, 1, Credentials.NONE,
              relayed.getRemoteSocketAddress(), Transport.TCP);
          Await.until(() -> firstCallers.owner(fromRelay).equals(Owners.of(uid)));
          // The same source to the other directory (a connection the kernel may make with that
          // port, to another destination): nobody's.
          assertEquals(Owners.of(-1), secondCallers.owner(fromRelay));
          assertEquals(Owners.of(uid), firstCallers.owner(fromRelay));
        }
      }
    }
  }
}
