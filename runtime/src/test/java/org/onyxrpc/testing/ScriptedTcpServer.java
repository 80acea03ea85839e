package org.onyxrpc.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.xdr.XdrReader;

/**
 * A loopback TCP server for client tests (onyx-opentelemetry's too) that takes one connection and answers each call as the
 * test's {@link Responder} writes it, one record per call, however odd the reply.
 */
public final class ScriptedTcpServer implements AutoCloseable {
  /** Writes the reply to {@code call} into {@code reply} (framed and sent afterwards). */
  public interface Responder {
    /** {@code raw} is the connection itself, for bytes that go out before the reply's record. */
    void reply(CallHeader call, ByteBuf reply, OutputStream raw) throws IOException;
  }

  private final ServerSocket listener;

  public ScriptedTcpServer(String threadName, Responder responder) throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> answer(responder), threadName);
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void answer(Responder responder) {
    try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
      OutputStream out = s.getOutputStream();
      while (true) {
        byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(record);
        CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
        ByteBuf reply = Unpooled.buffer();
        reply.writeInt(0);
        responder.reply(call, reply, out);
        reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
        out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
        out.flush();
      }
    } catch (IOException e) {
      // the test is over
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
