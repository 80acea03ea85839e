package org.onyxrpc.benchmarks;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import org.onyxrpc.transport.RecordMarking;

/**
 * The socket baseline's server: one blocking thread per connection reads one whole record (every
 * fragment of it), then writes the canned {@link Wire#reply()} carrying the request's xid. No RPC
 * decoding happens: it is the floor that any RPC server on the JVM over blocking sockets stands on.
 */
public final class BlockingRecordServer implements AutoCloseable {
  private final ServerSocket listener;
  private final Thread acceptor;
  private volatile boolean lastRecordWanted;
  private volatile byte[] lastRecord;

  /** Listens on an ephemeral loopback port and starts accepting. */
  public BlockingRecordServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "socket-baseline-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port listened on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The record last received (without its marks), for tests. */
  public byte[] lastRecord() {
    return lastRecord;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), "socket-baseline-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    byte[] reply = Wire.reply();
    byte[] record = new byte[256];
    try (socket) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
      OutputStream out = socket.getOutputStream();
      while (true) {
        int length = 0;
        boolean last;
        do {
          int header = in.readInt();
          int fragment = header & RecordMarking.LENGTH_MASK;
          last = (header & RecordMarking.LAST_FRAGMENT) != 0;
          if (length + fragment > record.length) {
            record = Arrays.copyOf(record, Math.max(record.length * 2, length + fragment));
          }
          in.readFully(record, length, fragment);
          length += fragment;
        } while (!last);
        if (length < 4) {
          return;
        }
        if (lastRecordWanted) {
          lastRecord = Arrays.copyOf(record, length);
        }
        System.arraycopy(record, 0, reply, Wire.XID_OFFSET, 4);
        out.write(reply);
      }
    } catch (EOFException | SocketException e) {
      // the client went away
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Makes the server keep a copy of each record it reads (tests only: it costs an allocation). */
  public BlockingRecordServer keepLastRecord() {
    lastRecordWanted = true;
    return this;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
