package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A UDP socket reuses its last reply path ({@link UdpEndpoint.LastReply}) while datagrams keep
 * coming from the same sender, rather than making one per datagram: the dedicated thread made a
 * {@code UdpEndpoint.Reply} (32 bytes) for every call, 216 bytes per call in all.
 */
class UdpReplyPathReuseTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 0x20000779;
  private static final Procedure<Integer, Integer> NEXT = new Procedure<>(PROGRAM, 1, 1,
      "Reuse.next", XdrCodecs.INT, XdrCodecs.INT, CallSemantics.MAYBE);
  private static final int CALLS = 2000;
  private static final int RUNS = 6;
  /**
   * Bytes per call the dedicated thread may allocate for a small call run inline: 240 measured
   * here, 272 while a reply path was made per datagram (less since the socket's thread keeps its
   * reply writer, DedicatedUdpReplyWriterTest). The benchmarks' figures are 184 and 216:
   * the tests' paranoid leak detection tracks the datagram's copy and the reply, and adds the rest.
   */
  private static final long MOST_BYTES_PER_CALL = 256;

  private static final UdpEndpoint.Replies NO_REPLIES = new UdpEndpoint.Replies() {
    @Override
    public ByteBuf newReply() {
      return Unpooled.buffer();
    }

    @Override
    public void send(ByteBuf reply, InetSocketAddress to) {
      reply.release();
    }
  };

  private static RpcServer server() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(NEXT, (n, ctx) -> n + 1)
        .build();
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).directExecutor()
        .addService(service).build().start();
  }

  private static void closeLane(UdpEndpoint.Sender sender) {
    if (sender.lane != null) { // none under a direct executor
      sender.lane.close();
    }
  }

  @Test
  void aSendersDatagramsShareOnePathAndAnotherSenderGetsItsOwn() throws Exception {
    try (RpcServer server = server()) {
      aSendersDatagramsShareOnePath(server.udpEndpoint());
    }
  }

  private static void aSendersDatagramsShareOnePath(UdpEndpoint endpoint) {
    UdpEndpoint.Sender entry = endpoint.new Sender(LOOPBACK);
    UdpEndpoint.LastReply last = new UdpEndpoint.LastReply();
    InetSocketAddress sender = new InetSocketAddress(LOOPBACK, 4000);
    ReplySink first = last.to(endpoint, NO_REPLIES, sender, entry);
    assertSame(first, last.to(endpoint, NO_REPLIES, sender, entry), "the same sender object");
    assertSame(first, last.to(endpoint, NO_REPLIES, new InetSocketAddress(LOOPBACK, 4000), entry),
        "an equal sender (Netty makes one per datagram)");
    ReplySink otherPort = last.to(endpoint, NO_REPLIES, new InetSocketAddress(LOOPBACK, 4001), entry);
    assertNotSame(first, otherPort);
    assertEquals(new InetSocketAddress(LOOPBACK, 4001), otherPort.remoteAddress());
    UdpEndpoint.Sender remade = endpoint.new Sender(LOOPBACK); // the entry forgotten and made again
    ReplySink newEntry = last.to(endpoint, NO_REPLIES, new InetSocketAddress(LOOPBACK, 4001), remade);
    assertNotSame(otherPort, newEntry);
    assertSame(remade.address, newEntry.client());
    closeLane(entry);
    closeLane(remade);
  }

  @Test
  void aLinkLocalSenderOfAnotherScopeGetsItsOwnPath() throws Exception {
    byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
    InetSocketAddress scope1 = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 1), 4000);
    InetSocketAddress scope2 = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 2), 4000);
    assertEquals(scope1, scope2, "InetSocketAddress.equals leaves the scope out");
    try (RpcServer server = server()) {
      UdpEndpoint endpoint = server.udpEndpoint();
      UdpEndpoint.Sender entry = endpoint.new Sender(scope1.getAddress());
      UdpEndpoint.LastReply last = new UdpEndpoint.LastReply();
      ReplySink first = last.to(endpoint, NO_REPLIES, scope1, entry);
      ReplySink second = last.to(endpoint, NO_REPLIES, scope2, entry);
      assertNotSame(first, second);
      assertEquals(2, ((Inet6Address) ((InetSocketAddress) second.remoteAddress()).getAddress())
          .getScopeId(), "the reply goes out of the interface the datagram came in on");
      closeLane(entry);
    }
  }

  @Test
  void theDedicatedThreadMakesNoReplyPathPerCall() throws Exception {
    try (RpcServer server = server(); DatagramChannel client = DatagramChannel.open()) {
      InetSocketAddress address = server.udpAddresses().get(0);
      client.connect(address);
      Thread socketThread = null;
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().equals("onyx-server-udp-" + ListenPlaces.hostPort(address))) {
          socketThread = thread;
        }
      }
      assertNotNull(socketThread, "the socket's thread");
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      ByteBuffer reply = ByteBuffer.allocate(256);
      // The first run also loads and initialises classes; the second is the one measured.
      long perCall = Long.MAX_VALUE;
      for (int run = 0; run < RUNS; run++) {
        long before = threads.getThreadAllocatedBytes(socketThread.getId());
        for (int xid = 1; xid <= CALLS; xid++) {
          ByteBuffer call = ByteBuffer.wrap(RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
              ByteBuffer.allocate(4).putInt(xid & 63).array())); // boxed from the JDK's cache
          client.write(call);
          reply.clear();
          client.read(reply); // blocking: the reply has left the socket's thread
          assertEquals(xid, reply.getInt(0), "the reply to the call sent");
          assertEquals((xid & 63) + 1, reply.getInt(reply.position() - 4));
        }
        perCall = Math.min(perCall,
            (threads.getThreadAllocatedBytes(socketThread.getId()) - before) / CALLS);
      }
      assertTrue(perCall <= MOST_BYTES_PER_CALL, "the socket's thread allocated " + perCall
          + " bytes per call, more than " + MOST_BYTES_PER_CALL);
    }
  }
}
