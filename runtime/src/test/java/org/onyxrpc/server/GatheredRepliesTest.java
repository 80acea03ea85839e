package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;

/**
 * A large opaque result given as a buffer (here a slice of the call itself) is sent from where
 * it is, gathered into the reply record rather than copied; a result that fails to encode after
 * that is a SYSTEM_ERR and leaks nothing.
 */
@ExtendWith(LeakDetection.class)
class GatheredRepliesTest {
  private static final int PROGRAM = 0x20000777;
  private static final Procedure<byte[], byte[]> ECHO = new Procedure<>(PROGRAM, 1, 1, "Gather.echo",
      XdrCodecs.OPAQUE, XdrCodecs.OPAQUE, CallSemantics.MAYBE);
  private static final Procedure<byte[], byte[]> BROKEN = new Procedure<>(PROGRAM, 1, 2,
      "Gather.broken", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE, CallSemantics.MAYBE);

  /** The server's side: the argument as a slice of the call, the result as that slice. */
  private static ServiceDefinition service() {
    Procedure<ByteBuf, ByteBuf> echo = new Procedure<>(PROGRAM, 1, 1, "Gather.echo",
        XdrCodecs.of((out, b) -> out.writeOpaque(b, Integer.MAX_VALUE),
            in -> in.readOpaqueSlice(Integer.MAX_VALUE)),
        XdrCodecs.of((out, b) -> {
          try {
            out.writeOpaque(b, Integer.MAX_VALUE);
          } finally {
            b.release();
          }
        }, in -> in.readOpaqueSlice(Integer.MAX_VALUE)),
        CallSemantics.MAYBE);
    Procedure<ByteBuf, ByteBuf> broken = new Procedure<>(PROGRAM, 1, 2, "Gather.broken",
        echo.arguments(),
        XdrCodecs.of((out, b) -> {
          try {
            out.writeOpaque(b, Integer.MAX_VALUE);
            throw new XdrException("fails after the opaque was gathered");
          } finally {
            b.release();
          }
        }, in -> in.readOpaqueSlice(Integer.MAX_VALUE)),
        CallSemantics.MAYBE);
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(echo, (data, ctx) -> data)
        .procedure(broken, (data, ctx) -> data)
        .build();
  }

  @Test
  void aLargeSliceComesBackWhole() throws Exception {
    byte[] data = new byte[(1 << 20) + 3];
    new Random(1).nextBytes(data);
    try (RpcServer server = RpcServer.builder().transports(Transport.TCP).directExecutor()
            .addService(service()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(data, client.call(ECHO, data));
      }
      byte[] small = {1, 2, 3};
      assertArrayEquals(small, client.call(ECHO, small));
    }
  }

  @Test
  void aResultThatFailsAfterGatheringIsASystemErrorAndLeaksNothing() throws Exception {
    byte[] data = new byte[200_000];
    try (RpcServer server = RpcServer.builder().transports(Transport.TCP)
            .addService(service()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(BROKEN, data));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      assertArrayEquals(data, client.call(ECHO, data), "the connection still serves");
    }
  }
}
