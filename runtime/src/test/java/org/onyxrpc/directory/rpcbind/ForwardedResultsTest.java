package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * A forwarded call's results may be at most 8 KiB, and the directory refuses larger ones as
 * their record's header arrives, not once it has read them: before, each of its 32 indirect
 * calls in flight could make it buffer, then copy, a 16 MiB reply from a program on this
 * machine, which a caller from anywhere may have it call. A program registered at the
 * directory's own port makes no loop.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ForwardedResultsTest {
  private static final int PROGRAM = 0x20000777;
  private static final int LAST = 0x8000_0000;

  /**
   * A program that answers its NULL ping properly and any other call with {@code size} bytes of
   * results; completes with whether the directory stopped reading before the record was all
   * written.
   */
  private static CompletableFuture<Boolean> serve(ServerSocket listener, int size) {
    CompletableFuture<Boolean> cutOff = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
          byte[] call = new byte[in.readInt() & 0x7FFF_FFFF];
          in.readFully(call);
          int xid = java.nio.ByteBuffer.wrap(call).getInt(0);
          int procedure = java.nio.ByteBuffer.wrap(call).getInt(20);
          int results = procedure == 0 ? 0 : size;
          try {
            // The directory may close as soon as it reads the record's length: any write after
            // the first can fail.
            out.writeInt(LAST | (24 + results));
            for (int w : new int[] {xid, 1, 0, 0, 0, 0}) {
              out.writeInt(w);
            }
            out.write(new byte[results]);
            out.flush();
          } catch (IOException e) {
            cutOff.complete(true); // the directory closed the connection first
            return;
          }
          if (procedure != 0) {
            cutOff.complete(false);
            return;
          }
        }
      } catch (IOException e) {
        cutOff.completeExceptionally(e);
      }
    }, "forwarded-results");
    t.setDaemon(true);
    t.start();
    return cutOff;
  }

  @Test
  void resultsOverEightKibibytesAreRefusedBeforeTheyAreRead() throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture();
        ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        RpcClient c = fixture.client(Transport.TCP, 0)) {
      CompletableFuture<Boolean> cutOff = serve(listener, (16 << 20) - 64);
      register(c, listener);

      RpcException e = assertThrows(RpcException.class,
          () -> c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(PROGRAM, 1, 1, new byte[0])));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertTrue(cutOff.get(1, TimeUnit.MINUTES), "the directory read all 16 MiB");
    }
  }

  @Test
  void resultsOfEightKibibytesAreForwardedAndOneWordMoreIsRefused() throws Exception {
    for (int size : new int[] {Rpcb.MAX_CALL_BYTES, Rpcb.MAX_CALL_BYTES + 4}) {
      try (DirectoryFixture fixture = new DirectoryFixture();
          ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
          RpcClient c = fixture.client(Transport.TCP, 0)) {
        serve(listener, size);
        register(c, listener);
        Rpcb.CallArgs args = new Rpcb.CallArgs(PROGRAM, 1, 1, new byte[0]);
        if (size == Rpcb.MAX_CALL_BYTES) {
          assertEquals(size, c.call(Rpcb.INDIRECT, args).results().length);
        } else {
          RpcException e = assertThrows(RpcException.class, () -> c.call(Rpcb.INDIRECT, args));
          assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
        }
      }
    }
  }

  @Test
  void aProgramSetAtTheDirectorysOwnPortIsCalledOnceAndNoLoopFollows() throws Exception {
    // A forwarded call names its program, never CALLIT: the directory answers it as a program it
    // does not serve, so no caller can make it call itself round and round.
    try (DirectoryFixture fixture = new DirectoryFixture(); RpcClient c = fixture.client(Transport.TCP, 0)) {
      String self = UniversalAddress.format(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.port()));
      assertTrue(c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(PROGRAM, 4, "tcp", self, "")));
      Rpcb.CallArgs callit = new Rpcb.CallArgs(PROGRAM, 4, Rpcb.callit(Rpcb.VERSION_4).number(),
          new byte[] {0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 0});
      RpcException e = assertThrows(RpcException.class, () -> c.call(Rpcb.INDIRECT, callit));
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e.getMessage());
    }
  }

  private static void register(RpcClient c, ServerSocket listener) {
    String uaddr = UniversalAddress.format((java.net.InetSocketAddress) listener.getLocalSocketAddress());
    assertTrue(c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(PROGRAM, 1, "tcp", uaddr, "")));
  }
}
