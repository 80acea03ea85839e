package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/** A call message in a buffer of its own: how its bytes are laid out for the socket. */
class CallWriterTest {
  private static final int MAX = 8 << 20;
  private static final Procedure<byte[], byte[]> BLOB = new Procedure<>(1, 1, 2, "P.blob",
      XdrCodecs.opaque(MAX), XdrCodecs.opaque(MAX), CallSemantics.MAYBE);

  private static ConnectionSetup setup(Transport transport) {
    OutstandingCalls calls = new OutstandingCalls(new ClientCounters(), 16);
    return new ConnectionSetup(transport, "peer", null, null, calls, OpaqueAuth.NONE, 1, 2,
        MAX + 1024, MAX + 1024, connection -> {});
  }

  private static PendingCall<byte[], byte[]> call(byte[] args) {
    return new PendingCall<>(null, 7, BLOB, args, CallSemantics.MAYBE, 0, 1_000_000, 1_000_000,
        true, null);
  }

  private static byte[] bytes(int length) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    return data;
  }

  /** The message as a plain writer lays it out: one buffer, grown as needed. */
  private static byte[] plain(ConnectionSetup setup, byte[] args) {
    ByteBuf buf = Unpooled.buffer();
    try {
      assertTrue(CallWriter.encode(setup, call(args), new XdrWriter(buf)));
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void aLargeArgumentIsCopiedOnceIntoAPartOfItsOwnSizeAndTheRecordIsGathered() {
    ConnectionSetup setup = setup(Transport.TCP);
    for (int length : new int[] {64 << 10, (1 << 20) + 3, 5 << 20}) {
      byte[] args = bytes(length);
      ByteBuf message = CallWriter.encode(setup, call(args), ByteBufAllocator.DEFAULT);
      try {
        assertEquals(3, message.nioBufferCount(), "header, argument, padding: " + length);
        assertEquals(length, message.nioBuffers()[1].remaining());
        // No buffer grown by doubling: what the message holds is its bytes and a little room.
        assertTrue(message.capacity() - message.readableBytes() < 4096,
            message.capacity() + " bytes held for " + message.readableBytes());
        assertArrayEquals(plain(setup, args), ByteBufUtil.getBytes(message));
      } finally {
        message.release();
      }
    }
  }

  @Test
  void aSmallArgumentAndADatagramStayInOneBuffer() {
    byte[] small = bytes(1000);
    ByteBuf tcp = CallWriter.encode(setup(Transport.TCP), call(small), ByteBufAllocator.DEFAULT);
    byte[] large = bytes(60_000);
    ByteBuf udp = CallWriter.encode(setup(Transport.UDP), call(large), ByteBufAllocator.DEFAULT);
    try {
      assertEquals(1, tcp.nioBufferCount());
      assertArrayEquals(plain(setup(Transport.TCP), small), ByteBufUtil.getBytes(tcp));
      assertEquals(1, udp.nioBufferCount());
      assertArrayEquals(plain(setup(Transport.UDP), large), ByteBufUtil.getBytes(udp));
    } finally {
      tcp.release();
      udp.release();
    }
  }
}
