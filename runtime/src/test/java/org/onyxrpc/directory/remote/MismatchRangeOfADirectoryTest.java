package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A directory whose PROG_MISMATCH names a range holding no rpcbind version below the one refused
 * (low above high, "9..3"; or all of it above, "5..7") is not asked again with a version it did
 * not name: before, {@link RemoteDirectory} took only the range's high, went down to versions 3
 * and 2 (more calls, refused alike), and failed only there.
 */
class MismatchRangeOfADirectoryTest {
  private static final int LAST_FRAGMENT = 0x8000_0000;

  @ParameterizedTest(name = "PROG_MISMATCH {0}..{1}")
  @CsvSource({"9, 3", "5, 7", "-1, 0"})
  void aRangeOfNoLowerVersionIsTheDirectorysFailureAsSent(int low, int high) throws Exception {
    List<Integer> versions = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> refuseEveryCall(listener, low, high, versions), "mismatching-directory");
      serving.setDaemon(true);
      serving.start();
      try (RemoteDirectory directory = RemoteDirectory.builder()
          .address("127.0.0.1", listener.getLocalPort()).timeout(Duration.ofSeconds(10)).build()) {
        RpcException e = assertThrows(RpcException.class, () -> directory.lookup(0x2000_0a72, 1));
        assertEquals(RpcStatus.PROG_MISMATCH, e.status(), e.getMessage());
        assertEquals(low, e.low());
        assertEquals(high, e.high());
        assertEquals(Set.of(4), Set.copyOf(versions), "rpcbind versions asked, in " + versions);
        if (Integer.compareUnsigned(low, high) > 0) {
          assertTrue(e.getMessage().contains("sent an empty version range (low "
              + Integer.toUnsignedString(low) + " above high " + high + ")"), e.getMessage());
        }
      }
    }
  }

  /** Answers every call on every connection with PROG_MISMATCH {@code low..high}, each call's version recorded before the reply is sent. */
  private static void refuseEveryCall(ServerSocket listener, int low, int high, List<Integer> versions) {
    while (true) {
      try (Socket peer = listener.accept()) {
        DataInputStream in = new DataInputStream(peer.getInputStream());
        DataOutputStream out = new DataOutputStream(peer.getOutputStream());
        while (true) {
          byte[] call = new byte[in.readInt() & ~LAST_FRAGMENT];
          in.readFully(call);
          int xid = ByteBuffer.wrap(call).getInt();
          versions.add(ByteBuffer.wrap(call).getInt(16)); // after xid, msg_type, rpcvers, prog
          // xid, REPLY, MSG_ACCEPTED, AUTH_NONE verifier, PROG_MISMATCH, low, high
          ByteBuffer reply = ByteBuffer.allocate(4 + 32).putInt(LAST_FRAGMENT | 32)
              .putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(2).putInt(low).putInt(high);
          out.write(reply.array());
          out.flush();
        }
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }
}
