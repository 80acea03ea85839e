package org.onyxrpc.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A TCP peer that answers the NULL ping (accepted, SUCCESS) and any other call with a record mark
 * announcing {@code announced} bytes, followed by the call's xid and nothing more: for a client
 * that must refuse a reply longer than it takes at once, not wait for its bytes.
 */
public final class OversizedReplyPeer implements AutoCloseable {
  private final ServerSocket listener;

  private OversizedReplyPeer(ServerSocket listener) {
    this.listener = listener;
  }

  /** Listens on a free loopback port and answers every connection as above. */
  public static OversizedReplyPeer start(int announced) throws IOException {
    return start(announced, 0);
  }

  /**
   * Listens on a free loopback port and answers every call but the NULL ping with a reply of
   * {@code fragmentBytes}-byte fragments (the first the reply's header), sent until they make
   * more than {@code limit} bytes: each fragment alone is within any limit, their sum is not.
   */
  public static OversizedReplyPeer startFragmented(int limit, int fragmentBytes) throws IOException {
    return start(limit, fragmentBytes);
  }

  private static OversizedReplyPeer start(int announced, int fragmentBytes) throws IOException {
    ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread server = new Thread(() -> {
      while (!listener.isClosed()) {
        try (Socket s = listener.accept()) {
          answer(s, announced, fragmentBytes);
        } catch (IOException e) {
          // the client closed the connection, or the peer is closed
        }
      }
    }, "oversized-reply-peer");
    server.setDaemon(true);
    server.start();
    return new OversizedReplyPeer(listener);
  }

  /** The port it listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }

  private static void answer(Socket s, int announced, int fragmentBytes) throws IOException {
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
      } else if (fragmentBytes > 0) { // an accepted SUCCESS reply, then fragments past the limit
        byte[] fragment = new byte[fragmentBytes];
        ByteBuffer.wrap(fragment).putInt(fields.getInt(0)).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0);
        for (long sent = 0; sent <= announced; sent += 4 + fragmentBytes) {
          out.writeInt(fragmentBytes); // never the last
          out.write(fragment);
          java.util.Arrays.fill(fragment, (byte) 0);
        }
      } else { // the xid in the same write as the mark, so that the client can name the call
        out.write(ByteBuffer.allocate(8).putInt(0x8000_0000 | announced).putInt(fields.getInt(0)).array());
      }
      out.flush();
    }
  }
}
