package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * {@code onyx ping HOST:PORT PROGRAM} without a version draws the versions out of the server
 * with a call of version 0; a server answering PROG_MISMATCH with low above high names none.
 * Before, that pinged nothing, printed nothing and exited 0, as if the program were up.
 */
class UpsideDownVersionsTest {
  @Test
  void aVersionRangeUpsideDownIsAFailureNotSilence() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> {
        try (Socket s = server.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          while (true) {
            byte[] record = new byte[in.readInt() & 0x7fffffff];
            in.readFully(record);
            int xid = ((record[0] & 0xff) << 24) | ((record[1] & 0xff) << 16) | ((record[2] & 0xff) << 8)
                | (record[3] & 0xff);
            // xid, REPLY, MSG_ACCEPTED, AUTH_NONE verifier, PROG_MISMATCH, low 5, high 2
            int[] reply = {xid, 1, 0, 0, 0, 2, 5, 2};
            out.writeInt(0x80000000 | reply.length * 4);
            for (int word : reply) {
              out.writeInt(word);
            }
            out.flush();
          }
        } catch (Exception e) {
          // the client closed: done
        }
      });
      answering.setDaemon(true);
      answering.start();
      CommandRun r = onyx("ping", "127.0.0.1:" + server.getLocalPort(), "0x20000101", "--timeout", "5s");
      assertEquals(ExitCodes.RPC_ERROR, r.exit(), r.out() + r.err());
      assertTrue(r.out().contains("\"error\" : \"PROG_MISMATCH\""), r.out());
      assertTrue(r.out().contains("\"low\" : 5") && r.out().contains("\"high\" : 2"), "the range as sent: " + r.out());
      assertTrue(r.out().contains("sent an empty version range (low 5 above high 2)"), "not 'has 5..2': " + r.out());
    }
  }
}
