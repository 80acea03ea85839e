package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A loopback TCP server without tags, as a C one, for tests of the NULL ping a client sends before
 * its first retransmitting call (the tag probe): it answers each call untagged, with the
 * procedure's number as a hyper, and the NULL ping only once {@link #answerPing} is counted down.
 * It keeps the procedures it ran ({@link #seen}) and counts down {@link #markerRead} for each call
 * of the marker procedure, sent after the calls under test on the same connection: once the
 * server has the marker, it has every copy of those. Serves one connection after another.
 */
final class PingHoldingServer implements AutoCloseable {
  /** The procedures other than NULL it ran, in order. */
  final List<Integer> seen = new CopyOnWriteArrayList<>();
  volatile CountDownLatch pingRead;
  volatile CountDownLatch answerPing;
  volatile CountDownLatch markerRead;
  private final int marker;
  private final ServerSocket listener;

  /** {@code markers}: the marker calls {@link #markerRead} waits for. */
  PingHoldingServer(int marker, int markers) throws IOException {
    this.marker = marker;
    reset(markers);
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "plain-server");
    t.setDaemon(true);
    t.start();
  }

  /** Forgets what it saw and holds the next ping again, for another round. */
  void reset(int markers) {
    seen.clear();
    pingRead = new CountDownLatch(1);
    answerPing = new CountDownLatch(1);
    markerRead = new CountDownLatch(markers);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void serve() {
    while (true) {
      try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
        OutputStream out = s.getOutputStream();
        while (true) {
          byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
          in.readFully(record);
          CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
          if (call.procedure() == 0) {
            pingRead.countDown();
            answerPing.await();
          } else {
            seen.add(call.procedure());
          }
          ByteBuf reply = Unpooled.buffer();
          reply.writeInt(0);
          RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
          if (call.procedure() != 0) {
            reply.writeLong(call.procedure());
          }
          reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
          out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
          out.flush();
          if (call.procedure() == marker) {
            markerRead.countDown();
          }
        }
      } catch (IOException e) {
        if (listener.isClosed()) {
          return; // the test is over; otherwise the client of one round went
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
