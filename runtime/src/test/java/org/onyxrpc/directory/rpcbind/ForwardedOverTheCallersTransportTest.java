package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An indirect call (CALLIT, BCAST, INDIRECT) that came as a datagram is forwarded only to a
 * program that takes datagrams, as rpcbind forwards on the transport the call came over. A
 * datagram's source can be forged; a program that listens on TCP alone (as {@code onyx mq}
 * does, refusing UDP for that very reason) must not be called over TCP, from this machine, for
 * whoever a datagram claims to be. Before, a UDP CALLIT of a program registered for TCP only was
 * forwarded over TCP and its results sent to the claimed source. Calls that came over TCP still
 * reach a program on either transport.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ForwardedOverTheCallersTransportTest {
  private static final int PROGRAM = 0x20000778;
  private static final Procedure<Integer, Integer> TWICE =
      new Procedure<>(PROGRAM, 1, 1, "Twice.twice", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void aDatagramsIndirectCallReachesNoProgramThatListensOnTcpAlone() throws Exception {
    AtomicInteger called = new AtomicInteger();
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer tcpOnly = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP).directory(Directory.none())
            .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(TWICE, (n, ctx) -> {
              called.incrementAndGet();
              return 2 * n;
            }).build()).build().start();
        RpcClient tcp = fixture.client(Transport.TCP, 0);
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String uaddr = UniversalAddress.format(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpOnly.port()));
      assertEquals(true, tcp.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(PROGRAM, 1, "tcp", uaddr, "")));
      byte[] twentyOne = {0, 0, 0, 21};
      udp.setSoTimeout(1_000);
      InetSocketAddress directory = new InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.port());

      // CALLIT of versions 2 and 3 are silent when they do not forward (RFC 1833) ...
      for (int version : new int[] {Portmap.VERSION, Rpcb.VERSION_3}) {
        udp.send(datagram(version, version, 5, twentyOne, directory));
        assertThrows(SocketTimeoutException.class, () -> udp.receive(new DatagramPacket(new byte[9000], 9000)),
            "version " + version + " CALLIT over UDP was answered");
      }
      // ... INDIRECT says why: no program of that number here takes datagrams.
      udp.send(datagram(4, Rpcb.VERSION_4, 10, twentyOne, directory));
      DatagramPacket reply = new DatagramPacket(new byte[9000], 9000);
      udp.receive(reply);
      ByteBuffer r = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
      assertEquals(4, r.getInt(0), "xid");
      assertEquals(0, r.getInt(8), "MSG_ACCEPTED");
      assertEquals(1, r.getInt(20), "accept_stat PROG_UNAVAIL");
      assertEquals(0, called.get(), "the TCP-only program was called for a datagram");

      // Over TCP, whose caller is who it says, the program is called as before.
      Rpcb.CallResult result = tcp.call(Rpcb.INDIRECT, new Rpcb.CallArgs(PROGRAM, 1, 1, twentyOne));
      assertEquals(42, ByteBuffer.wrap(result.results()).getInt());
      assertEquals(1, called.get());
    }
  }

  /** A call of rpcbind {@code version}'s {@code procedure} (CALLIT or INDIRECT) of TWICE. */
  private static DatagramPacket datagram(int xid, int version, int procedure, byte[] args,
      InetSocketAddress to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    for (int w : new int[] {xid, 0, 2, Portmap.PROGRAM, version, procedure, 0, 0, 0, 0}) {
      out.writeInt(w); // call, RPC version 2, AUTH_NONE credential and verifier
    }
    for (int w : new int[] {PROGRAM, 1, 1, args.length}) {
      out.writeInt(w);
    }
    out.write(args);
    byte[] b = bytes.toByteArray();
    return new DatagramPacket(b, b.length, to);
  }
}
