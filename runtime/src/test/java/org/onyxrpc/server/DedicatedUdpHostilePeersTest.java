package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;

/**
 * A UDP socket with a thread of its own ({@link UdpIo#DEDICATED_THREAD}) against broken and
 * hostile senders: what the event-loop socket survives, this one must too. Raw datagrams, no
 * client.
 */
@ExtendWith(LeakDetection.class)
class DedicatedUdpHostilePeersTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int MAX_DATAGRAM = 200;
  private final TestService service = new TestService();
  private RpcServer server;
  private DatagramSocket raw;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).maxDatagramBytes(MAX_DATAGRAM)
        .addService(service.definition()).build().start();
    raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    raw.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    server.close();
    raw.close();
  }

  private void send(byte[] datagram, int port) throws Exception {
    raw.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, port));
  }

  /** An at-most-once ECHO of {@code text}, untagged as a C client's. */
  private static byte[] echo(int xid, String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int padded = (bytes.length + 3) & ~3;
    ByteBuffer args = ByteBuffer.allocate(4 + padded).putInt(bytes.length).put(bytes);
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, TestService.ECHO.number(),
        OpaqueAuth.NONE, args.array());
  }

  /** The next reply's xid. */
  private int replyXid() throws Exception {
    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
    raw.receive(reply);
    return ByteBuffer.wrap(reply.getData()).getInt(0);
  }

  @Test
  void datagramsOfNoneOneAndThreeBytesAndOneByteTooManyAreDroppedAndTheThreadServesOn()
      throws Exception {
    send(new byte[0], server.port());
    send(new byte[1], server.port());
    send(new byte[3], server.port());
    byte[] exact = echo(11, "x".repeat(MAX_DATAGRAM - 44));
    assertEquals(MAX_DATAGRAM, exact.length);
    // A call of exactly the maximum with one byte more: cut to the maximum it would be valid.
    byte[] over = Arrays.copyOf(echo(12, "y".repeat(MAX_DATAGRAM - 44)), MAX_DATAGRAM + 1);
    send(over, server.port());
    byte[] farOver = Arrays.copyOf(echo(13, "z".repeat(MAX_DATAGRAM - 44)), 4 * MAX_DATAGRAM);
    send(farOver, server.port());
    send(exact, server.port());
    assertEquals(11, replyXid(), "the one thread takes datagrams in order: the others got none");
  }

  /**
   * A call header cut at every byte within it (the 40 bytes of xid, message type, RPC version,
   * program, version, procedure, credential and verifier): none runs; one cut where a refusal can
   * be told is refused, with a reply no larger than it (its source may be forged), the others are
   * dropped; and the thread serves the whole call behind them.
   */
  @Test
  void headersCutMidFieldAreNeverRunAndTheThreadServesOn() throws Exception {
    byte[] cutOne = echo(50, "cut");
    for (int cut = 1; cut < 40; cut++) {
      send(Arrays.copyOf(cutOne, cut), server.port());
    }
    send(echo(51, "whole"), server.port());
    // The one thread takes datagrams in order: a cut one's refusal comes before the whole's reply.
    while (true) {
      DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
      raw.receive(reply);
      ReplyHeader header = RpcMessages.readReply(
          new XdrReader(Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength())));
      if (header.xid() == 51) {
        assertEquals(RpcStatus.SUCCESS, header.status());
        return;
      }
      assertEquals(50, header.xid());
      assertNotEquals(RpcStatus.SUCCESS, header.status(), "a cut call is never run");
      assertTrue(reply.getLength() < 40, "no larger than a cut header: " + reply.getLength());
    }
  }

  @Test
  void aRetransmissionIsAnsweredFromTheCacheNotRunAgain() throws Exception {
    byte[] call = RawTcpPeer.call(21, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
        OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(40).putInt(2).array());
    send(call, server.port());
    assertEquals(21, replyXid());
    send(call, server.port());
    assertEquals(21, replyXid());
    assertEquals(1, server.stats().duplicatesReplayed());
  }

  @Test
  void aDatagramWhoseCopyCannotBeAllocatedIsDroppedAndTheThreadServesOn() throws Exception {
    AtomicInteger failures = new AtomicInteger(1);
    ByteBufAllocator real = ByteBufAllocator.DEFAULT;
    // Out of direct memory once, as when the rest of the server holds it all for a while.
    ByteBufAllocator outOfMemoryOnce = (ByteBufAllocator) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ByteBufAllocator.class}, (p, m, args) -> {
          if (m.getName().equals("directBuffer") && failures.getAndDecrement() > 0) {
            throw new OutOfMemoryError("Direct buffer memory");
          }
          try {
            return m.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.bind(new InetSocketAddress(LOOPBACK, 0));
      BlockingUdpSocket socket = BlockingUdpSocket.serve(server.udpEndpoint(), channel, outOfMemoryOnce);
      int port = socket.localAddress().getPort();
      try {
        send(echo(31, "lost"), port);
        send(echo(32, "served"), port);
        assertEquals(32, replyXid(), "the second datagram is served");
      } finally {
        socket.close();
      }
    }
  }

  /**
   * One host floods valid calls that block, from many ports: as on an event-loop socket, it
   * holds at most half of UDP's calls in flight, and a caller on another address is answered.
   */
  @Test
  void aFloodingHostHoldsHalfOfTheCallsAndAnotherHostIsServed() throws Exception {
    InetAddress flooder = LoopbackHosts.host("127.0.0.2");
    int maxInFlight = 8;
    java.util.List<DatagramSocket> ports = new java.util.ArrayList<>();
    try (RpcServer flooded = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD)
        .maxConcurrentCallsPerConnection(maxInFlight).addService(service.definition())
        .build().start()) {
      for (int p = 0; p < 4 * maxInFlight; p++) {
        DatagramSocket port = new DatagramSocket(new InetSocketAddress(flooder, 0));
        ports.add(port);
        byte[] call = TestService.rawHold(1000 + p, p);
        port.send(new DatagramPacket(call, call.length, LOOPBACK, flooded.port()));
      }
      Await.until(() -> flooded.udpEndpoint().dropped.sum() == 3L * maxInFlight + maxInFlight / 2);
      assertEquals(maxInFlight / 2, flooded.udpEndpoint().callsInFlight(flooder));
      byte[] add = RawTcpPeer.call(41, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
          OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(2).putInt(3).array());
      send(add, flooded.port());
      assertEquals(41, replyXid(), "the other host's call is answered");
      service.gate.countDown();
      Await.until(() -> flooded.callsInFlight() == 0);
    } finally {
      for (DatagramSocket port : ports) {
        port.close();
      }
    }
  }

  /**
   * Sixteen addresses (as forged sources would be) flood slow calls, two each: UDP holds no more
   * calls than it may have in flight (8 here), the rest are dropped and counted, none waits in
   * the executor's queue beyond them; once they end, another host's call is answered. (While they
   * hold them all, another host's call is dropped as theirs are: the bound is the port's, each
   * address's share only half of it.)
   */
  @Test
  void aFloodFromManyAddressesHoldsNoMoreThanUdpsCallsInFlight() throws Exception {
    int maxInFlight = 8;
    int addresses = 16;
    java.util.List<DatagramSocket> ports = new java.util.ArrayList<>();
    try (RpcServer flooded = RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD)
        .maxConcurrentCallsPerConnection(maxInFlight).addService(service.definition())
        .build().start()) {
      for (int a = 0; a < addresses; a++) {
        InetAddress from = LoopbackHosts.host("127.0.0." + (10 + a));
        for (int p = 0; p < 2; p++) {
          DatagramSocket port = new DatagramSocket(new InetSocketAddress(from, 0));
          ports.add(port);
          byte[] call = TestService.rawHold(2000 + 2 * a + p, a);
          port.send(new DatagramPacket(call, call.length, LOOPBACK, flooded.port()));
        }
      }
      Await.until(() -> service.holding.get() == maxInFlight
          && flooded.udpEndpoint().dropped.sum() == 2L * addresses - maxInFlight);
      assertEquals(maxInFlight, flooded.callsInFlight());
      service.gate.countDown();
      Await.until(() -> flooded.callsInFlight() == 0);
      assertEquals(0, flooded.udpEndpoint().sendersWithCallsInFlight(), "no address holds a call");
      byte[] add = RawTcpPeer.call(61, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
          OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(2).putInt(3).array());
      send(add, flooded.port());
      assertEquals(61, replyXid(), "another host's call is answered");
    } finally {
      for (DatagramSocket port : ports) {
        port.close();
      }
    }
  }
}
