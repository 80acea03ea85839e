package org.onyxrpc.client;

import static org.onyxrpc.client.ReplyBytes.accepted;
import static org.onyxrpc.client.ReplyBytes.record;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts connection after connection; answers pings properly and every other call through
 * its script. Each call is read whole, whatever its length (the client is not the attacker).
 */
final class ScriptedReplyServer implements AutoCloseable {
  /** Writes, for a call with {@code xid} that is not a ping, whatever bytes it likes. */
  interface Script {
    void answer(int xid, DataOutputStream out) throws IOException;
  }

  /** Writes, for a call with {@code xid} to {@code procedure}, whatever bytes it likes. */
  interface ProcedureScript {
    void answer(int xid, int procedure, DataOutputStream out) throws IOException;
  }

  private final ServerSocket listener;
  private final boolean scriptedPings;
  final AtomicInteger calls = new AtomicInteger();

  ScriptedReplyServer(Script script) throws IOException {
    this(script, false);
  }

  /** {@code scriptedPings}: the NULL pings too are answered through the script. */
  ScriptedReplyServer(Script script, boolean scriptedPings) throws IOException {
    this((xid, procedure, out) -> script.answer(xid, out), scriptedPings);
  }

  /** A server whose script is told which procedure each call is to. */
  static ScriptedReplyServer byProcedure(ProcedureScript script) throws IOException {
    return new ScriptedReplyServer(script, false);
  }

  private ScriptedReplyServer(ProcedureScript script, boolean scriptedPings) throws IOException {
    this.scriptedPings = scriptedPings;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> acceptAll(script), "hostile-replies");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptAll(ProcedureScript script) {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        Thread t = new Thread(() -> serve(s, script), "hostile-replies-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s, ProcedureScript script) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (true) {
        byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(record);
        int xid = ((record[0] & 0xFF) << 24) | ((record[1] & 0xFF) << 16)
            | ((record[2] & 0xFF) << 8) | (record[3] & 0xFF);
        int procedure = ((record[20] & 0xFF) << 24) | ((record[21] & 0xFF) << 16)
            | ((record[22] & 0xFF) << 8) | (record[23] & 0xFF);
        if (procedure != 0) {
          calls.incrementAndGet();
          script.answer(xid, procedure, out);
        } else if (scriptedPings) {
          script.answer(xid, procedure, out);
        } else {
          out.write(record(accepted(xid, 0)));
        }
        out.flush();
      }
    } catch (IOException e) {
      // the client closed, or the test is over
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
