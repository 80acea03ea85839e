package org.onyxrpc.directory.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between one host's ZooKeeper client and the ensemble, that the test cuts and heals:
 * a network partition of that host alone. While cut, connections are closed as they come.
 */
final class Partition implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private volatile boolean silent;

  Partition(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "partition-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Where the partitioned host connects. */
  String connectString() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /**
   * Holds every byte from now on, connections left open: a partition as a network makes one,
   * that the client learns of only when its reads time out. What was held is delivered when it
   * heals, as TCP's retransmissions would.
   */
  void silence() {
    silent = true;
  }

  void heal() {
    cut = false;
    synchronized (this) {
      silent = false;
      notifyAll();
    }
  }

  private synchronized void awaitHealed() throws InterruptedException {
    while (silent) {
      wait();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket in = listener.accept();
        if (cut) {
          closeQuietly(in);
          continue;
        }
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        open.add(in);
        open.add(out);
        if (cut) { // cut while this one was connecting
          closeQuietly(in);
          closeQuietly(out);
          continue;
        }
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        // listener closed, or the ensemble is down: the client tries again
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          awaitHealed();
          out.write(buf, 0, n);
        }
      } catch (IOException | InterruptedException e) {
        // cut
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "partition-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut();
  }
}
