package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A dedicated UDP socket's thread copies each small datagram into, and writes each reply it makes
 * into, a buffer it keeps ({@link SpareBuffer}), not one from the allocator per call; and never
 * into one a call still holds.
 */
@ExtendWith(LeakDetection.class)
class DedicatedUdpSpareBuffersTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 0x20000778;
  /** Keeps its argument, a retained slice of the call, and answers its length. */
  private static final Procedure<ByteBuf, Integer> KEEP = new Procedure<>(PROGRAM, 1, 1,
      "Spare.keep", XdrCodecs.of((out, data) -> out.writeOpaque(data, 1024),
          in -> in.readOpaqueSlice(1024)), XdrCodecs.INT, CallSemantics.MAYBE);
  /** Answers {@code n} bytes. */
  private static final Procedure<Integer, byte[]> BYTES = new Procedure<>(PROGRAM, 1, 2,
      "Spare.bytes", XdrCodecs.INT, XdrCodecs.OPAQUE, CallSemantics.MAYBE);

  private final List<ByteBuf> kept = new CopyOnWriteArrayList<>();
  private final AtomicInteger taken = new AtomicInteger();
  private RpcServer server;
  private DatagramChannel channel;
  private BlockingUdpSocket socket;
  private DatagramSocket raw;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(KEEP, (data, ctx) -> {
          kept.add(data);
          return data.readableBytes();
        })
        .procedure(BYTES, (n, ctx) -> new byte[n])
        .build();
    server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).directExecutor()
        .addService(service).build().start();
    ByteBufAllocator real = ByteBufAllocator.DEFAULT;
    // Counts every buffer the socket takes from its allocator.
    ByteBufAllocator counting = (ByteBufAllocator) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ByteBufAllocator.class}, (p, m, args) -> {
          if (m.getName().endsWith("uffer")) {
            taken.incrementAndGet();
          }
          try {
            return m.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(LOOPBACK, 0));
    socket = BlockingUdpSocket.serve(server.udpEndpoint(), channel, counting);
    raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    raw.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    socket.awaitEnd(System.nanoTime() + 10_000_000_000L);
    server.close();
    raw.close();
    kept.forEach(ByteBuf::release);
  }

  /** Sends a call of {@code procedure} with {@code args} and returns its reply's bytes. */
  private byte[] call(int xid, int procedure, byte[] args) throws Exception {
    byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, procedure, OpaqueAuth.NONE, args);
    raw.send(new DatagramPacket(call, call.length, LOOPBACK, socket.localAddress().getPort()));
    DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
    raw.receive(reply);
    assertEquals(xid, ByteBuffer.wrap(reply.getData()).getInt(0), "the reply to the call sent");
    return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
  }

  private static byte[] opaque(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(4 + ((bytes.length + 3) & ~3)).putInt(bytes.length).put(bytes)
        .array();
  }

  private static byte[] count(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  @Test
  void callsOneAtATimeTakeTwoBuffersFromTheAllocatorInAll() throws Exception {
    for (int xid = 1; xid <= 100; xid++) {
      call(xid, 2, count(8));
    }
    // Before: a copy and a reply for every call, 200.
    assertEquals(2, taken.get(), "the spare copy and the spare reply, once");
  }

  @Test
  void anArgumentACallKeepsIsNeverWrittenOverAndTheCallsAfterItTakeBuffersOfTheirOwn()
      throws Exception {
    call(1, 1, opaque("first, kept"));
    for (int xid = 2; xid <= 10; xid++) {
      call(xid, 1, opaque("later " + xid));
    }
    assertEquals("first, kept", kept.get(0).toString(StandardCharsets.US_ASCII));
    for (int i = 1; i < kept.size(); i++) {
      assertEquals("later " + (i + 1), kept.get(i).toString(StandardCharsets.US_ASCII));
    }
    // The first call kept the spare copy; each later one kept a copy of its own.
    assertEquals(2 + 9, taken.get());
  }

  /** The spare reply grows for a large reply, and is brought back to its size for the next. */
  @Test
  void aLargeReplyInTheSpareIsWholeAndSoIsASmallOneAfterIt() throws Exception {
    byte[] large = call(1, 2, count(60_000));
    assertEquals(24 + 4 + 60_000, large.length, "header, length and every byte");
    assertEquals(60_000, ByteBuffer.wrap(large).getInt(24));
    byte[] small = call(2, 2, count(8));
    assertEquals(24 + 4 + 8, small.length);
    assertEquals(8, ByteBuffer.wrap(small).getInt(24));
    assertEquals(2, taken.get(), "both in the spare reply");
  }
}
