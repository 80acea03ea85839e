package org.onyxrpc.directory.rpcbind;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;

/**
 * A relay over TCP, on a free loopback port, in front of a real directory (an Onyx directory, or
 * Debian's rpcbind), that makes it look older: version 4 without GETADDRLIST (answered
 * PROC_UNAVAIL), and optionally without the rpcbind versions above {@code highest} (answered
 * PROG_MISMATCH with the range left, as a version 3 rpcbind or a version 2 portmapper answers).
 * Everything else is relayed as it is, one call and its reply at a time per connection.
 */
final class OlderRpcbind implements AutoCloseable {
  private static final int GETADDRLIST = 11;
  private static final int PROG_MISMATCH = 2;
  private static final int PROC_UNAVAIL = 3;
  private static final int LAST_FRAGMENT = 0x8000_0000;

  private final InetSocketAddress directory;
  private final int highest;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Relays to {@code directory}, with rpcbind versions up to {@code highest} (2, 3 or 4). */
  OlderRpcbind(InetSocketAddress directory, int highest) throws IOException {
    this.directory = directory;
    this.highest = highest;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "older-rpcbind");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket peer = listener.accept();
        sockets.add(peer);
        Thread relay = new Thread(() -> relay(peer), "older-rpcbind-relay");
        relay.setDaemon(true);
        relay.start();
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void relay(Socket peer) {
    try (peer; Socket upstream = new Socket(directory.getAddress(), directory.getPort())) {
      sockets.add(upstream);
      DataInputStream fromPeer = new DataInputStream(peer.getInputStream());
      DataOutputStream toPeer = new DataOutputStream(peer.getOutputStream());
      DataInputStream fromDirectory = new DataInputStream(upstream.getInputStream());
      DataOutputStream toDirectory = new DataOutputStream(upstream.getOutputStream());
      while (true) {
        byte[] call = readRecord(fromPeer);
        byte[] refusal = refusal(ByteBuffer.wrap(call));
        writeRecord(toPeer, refusal != null ? refusal : forward(call, toDirectory, fromDirectory));
      }
    } catch (IOException e) {
      // a side closed
    }
  }

  private static byte[] forward(byte[] call, DataOutputStream to, DataInputStream from) throws IOException {
    writeRecord(to, call);
    return readRecord(from);
  }

  /** The reply an older rpcbind makes itself to {@code call}, or null if it is relayed. */
  private byte[] refusal(ByteBuffer call) {
    int xid = call.getInt();
    call.getInt(); // CALL
    call.getInt(); // RPC version 2
    int program = call.getInt();
    int version = call.getInt();
    int procedure = call.getInt();
    if (program != Rpcb.PROGRAM || version < Portmap.VERSION || version > Rpcb.VERSION_4) {
      return null;
    }
    if (version > highest) {
      return accepted(xid, PROG_MISMATCH).putInt(Portmap.VERSION).putInt(highest).array();
    }
    return version == Rpcb.VERSION_4 && procedure == GETADDRLIST ? accepted(xid, PROC_UNAVAIL).array() : null;
  }

  /** RFC 5531 §9: an accepted reply with an AUTH_NONE verifier, room left for a mismatch's range. */
  private static ByteBuffer accepted(int xid, int acceptStatus) {
    ByteBuffer reply = ByteBuffer.allocate(acceptStatus == PROG_MISMATCH ? 32 : 24);
    return reply.putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(acceptStatus);
  }

  private static byte[] readRecord(DataInputStream in) throws IOException {
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    while (true) {
      int mark = in.readInt();
      byte[] fragment = new byte[mark & ~LAST_FRAGMENT];
      in.readFully(fragment);
      record.writeBytes(fragment);
      if ((mark & LAST_FRAGMENT) != 0) {
        return record.toByteArray();
      }
    }
  }

  private static void writeRecord(DataOutputStream out, byte[] record) throws IOException {
    out.writeInt(LAST_FRAGMENT | record.length);
    out.write(record);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
