package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * onyx list and watch take from a directory no more than its longest sensible reply, as {@code
 * RemoteDirectory} does, not the 16 MiB any client takes: a directory (or whatever answers on
 * the port given) that announces a longer reply is told at once, with the limit, not waited on
 * until --timeout while its bytes are buffered.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OversizedDirectoryReplyTest {
  @Test
  void aDirectoryAnnouncingALongerReplyIsToldAtOnce() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        while (!listener.isClosed()) {
          try (Socket s = listener.accept()) {
            answer(s);
          } catch (IOException e) {
            // the client closed the connection, or the test is over
          }
        }
      }, "oversized-directory");
      server.setDaemon(true);
      server.start();
      String at = "127.0.0.1:" + listener.getLocalPort();
      // Longer than a refusal takes: before, the command sat until it, then said TIMEOUT.
      for (String[] args : List.of(new String[] {"list", at, "--timeout", "20s"},
          new String[] {"watch", at, "--count", "1", "--timeout", "20s"})) {
        CommandRun r = onyx(args);
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.out().contains("exceeds the maximum of " + Portmap.MAX_REPLY_BYTES), r.toString());
      }
    }
  }

  /** Answers the NULL ping, and any other call with a record mark longer than the limit. */
  private static void answer(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    while (true) {
      byte[] call = new byte[in.readInt() & 0x7FFF_FFFF];
      in.readFully(call);
      ByteBuffer fields = ByteBuffer.wrap(call);
      if (fields.getInt(20) == 0) { // procedure 0: accepted, SUCCESS
        out.writeInt(0x8000_0000 | 24);
        for (int word : new int[] {fields.getInt(0), 1, 0, 0, 0, 0}) {
          out.writeInt(word);
        }
      } else { // its xid in the same write, so the client can name the call it answers
        out.write(ByteBuffer.allocate(8).putInt(0x8000_0000 | (Portmap.MAX_REPLY_BYTES + 1))
            .putInt(fields.getInt(0)).array());
      }
      out.flush();
    }
  }
}
