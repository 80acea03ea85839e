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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * The socket baseline's server: one blocking thread per connection reads one whole record (every
 * fragment of it), then writes the canned {@link Wire#reply()} carrying the request's xid, or for
 * an {@link AddProgram#ECHO} call the reply header followed by the call's own arguments. No RPC
 * decoding happens beyond the procedure number: it is the floor that any RPC server on the JVM over blocking sockets stands on.
 */
public final class BlockingRecordServer implements AutoCloseable {
  /** Where the procedure number sits in a call record (without its mark): xid, type, rpcvers, prog, vers. */
  /** The name of each connection's thread. */
  static final String CONNECTION_THREAD = ServerThreads.named("socket-baseline-conn");
  private static final int PROCEDURE_OFFSET = 20;
  private static final int ECHO_MIN_BYTES = Wire.CALL_HEADER_BYTES;
  /** Mark and header of a successful reply, without its result. */
  private static final byte[] REPLY_HEADER =
      Arrays.copyOf(Wire.reply(), RecordMarking.HEADER_BYTES + Wire.REPLY_HEADER_BYTES);

  private final ServerSocket listener;
  private final Thread acceptor;
  /** The connections being served, closed with the server. */
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean lastRecordWanted;
  private volatile byte[] lastRecord;

  /** Listens on an ephemeral loopback port and starts accepting. */
  public BlockingRecordServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, ServerThreads.named("socket-baseline-accept"));
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
        connections.add(s);
        if (listener.isClosed()) { // close() may have gone through the set before the add
          s.close();
          return;
        }
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), CONNECTION_THREAD);
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
    byte[] echo = new byte[256];
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
        if (length > ECHO_MIN_BYTES && Wire.getInt(record, PROCEDURE_OFFSET) == AddProgram.ECHO.number()) {
          echo = echoReply(echo, record, length);
          out.write(echo, 0, RecordMarking.HEADER_BYTES + Wire.REPLY_HEADER_BYTES + length - Wire.CALL_HEADER_BYTES);
          continue;
        }
        System.arraycopy(record, 0, reply, Wire.XID_OFFSET, 4);
        out.write(reply);
      }
    } catch (EOFException | SocketException e) {
      // the client went away, or the server closed
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      connections.remove(socket);
    }
  }

  /**
   * The reply to an {@link AddProgram#ECHO} call record: the canned reply's header with the call's
   * xid, then the call's arguments (the opaque) as the result, in one array for one write.
   */
  private static byte[] echoReply(byte[] buffer, byte[] call, int length) {
    int body = length - Wire.CALL_HEADER_BYTES;
    int total = RecordMarking.HEADER_BYTES + Wire.REPLY_HEADER_BYTES + body;
    if (buffer.length < total) {
      buffer = new byte[total];
    }
    System.arraycopy(REPLY_HEADER, 0, buffer, 0, REPLY_HEADER.length);
    int mark = RecordMarking.LAST_FRAGMENT | (Wire.REPLY_HEADER_BYTES + body);
    buffer[0] = (byte) (mark >>> 24);
    buffer[1] = (byte) (mark >>> 16);
    buffer[2] = (byte) (mark >>> 8);
    buffer[3] = (byte) mark;
    System.arraycopy(call, 0, buffer, Wire.XID_OFFSET, 4);
    System.arraycopy(call, Wire.CALL_HEADER_BYTES, buffer, REPLY_HEADER.length, body);
    return buffer;
  }

  /** Makes the server keep a copy of each record it reads (tests only: it costs an allocation). */
  public BlockingRecordServer keepLastRecord() {
    lastRecordWanted = true;
    return this;
  }

  /** Stops accepting and closes every connection, which ends its thread. */
  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : connections) {
      s.close();
    }
  }
}
