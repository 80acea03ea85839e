package org.onyxrpc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that never answers a connect: a listening socket that never accepts, its
 * backlog filled, so the kernel drops the SYN of every further connect, as at an address that
 * drops SYNs. Filled until a connect of its own goes unanswered for half a second.
 */
public final class BlackHole implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> queued = new ArrayList<>();

  /** Listens on a free loopback port and fills its backlog. */
  public BlackHole() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    try {
      while (true) {
        Socket s = new Socket();
        try {
          s.connect(listener.getLocalSocketAddress(), 500);
        } catch (SocketTimeoutException unanswered) {
          s.close();
          return;
        }
        queued.add(s);
        if (queued.size() >= 64) {
          throw new IllegalStateException("the backlog never filled");
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  @Override
  public void close() throws IOException {
    for (Socket s : queued) {
      s.close();
    }
    listener.close();
  }
}
