package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The attack that worked: a local user reaching the directory over TCP with an AUTH_SYS
 * credential claiming uid 0 removed an entry registered through the local socket, and pointed
 * GETADDR at its own port. Only the kernel's word makes an owner now.
 */
class OwnershipTest {
  @TempDir
  Path dir;

  /** Calls {@code procedure} through the local socket, where the kernel vouches for our uid. */
  private static <A, R> R callLocally(Path socket, Procedure<A, R> procedure, A args) throws IOException {
    ByteBuf body = Unpooled.buffer();
    procedure.arguments().encode(new XdrWriter(body), args);
    byte[] argBytes = new byte[body.readableBytes()];
    body.readBytes(argBytes);
    body.release();
    byte[] call = RawTcpPeer.call(7, 2, procedure.program(), procedure.version(),
        procedure.number(), OpaqueAuth.NONE, argBytes);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).flip();
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ByteBuffer header = ByteBuffer.allocate(4);
      readFully(ch, header);
      ByteBuffer record = ByteBuffer.allocate(header.flip().getInt() & 0x7FFF_FFFF);
      readFully(ch, record);
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(record.flip()));
      RpcMessages.readReply(in);
      return procedure.result().decode(in);
    }
  }

  private static void readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException("closed");
      }
    }
  }

  @Test
  void aClaimedUidOverTcpCannotRemoveOrReplaceWhatTheKernelVouchedFor() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        RpcClient claimsRoot = fixture.client(Transport.TCP, 0);
        RpcClient claimsRootUdp = fixture.client(Transport.UDP, 0)) {
      assertTrue(Files.exists(socket));
      Rpcb.Mapping mine = new Rpcb.Mapping(0x20000777, 1, "tcp", "127.0.0.1.3.232", "");
      assertTrue(callLocally(socket, Rpcb.set(4), mine));
      assertEquals(Owners.self(), fixture.directory.table().find(0x20000777, 1, "tcp", true).get().owner());

      assertFalse(claimsRoot.call(Rpcb.unset(4), mine), "AUTH_SYS uid 0 over TCP is unknown");
      assertFalse(claimsRootUdp.call(Portmap.UNSET, new Portmap.Mapping(0x20000777, 1, 0, 0)));
      Rpcb.Mapping hijack = new Rpcb.Mapping(0x20000777, 1, "tcp", "127.0.0.1.31.64", "");
      assertFalse(claimsRoot.call(Rpcb.set(4), hijack), "a mapped program version is not replaced");
      assertEquals("127.0.0.1.3.232",
          claimsRoot.call(Rpcb.getAddr(4), new Rpcb.Mapping(0x20000777, 1, "tcp", "", "")));

      assertTrue(callLocally(socket, Rpcb.unset(4), mine), "the owner may, through the local socket");
      assertTrue(fixture.directory.table().find(0x20000777, 1, "tcp", true).isEmpty());
    }
  }

  /**
   * A name registered through the local socket (the kernel's word for its owner) takes no
   * instance from a caller over TCP, whatever uid it claims: before, a local process added its
   * own port to the name, and clients of the name sent it a share of their calls.
   */
  @Test
  void aNameRegisteredThroughTheLocalSocketIsNotJoinedOverTcp() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        RpcClient claimsRoot = fixture.client(Transport.TCP, 0)) {
      String name = "org.onyxrpc.test.Payments";
      ServiceInstance mine = new ServiceInstance(name, 0x20000778, 1, "tcp", "127.0.0.1.3.232", "");
      assertEquals(60_000, callLocally(socket, Names.REGISTER, new Names.RegisterArgs(mine, 60_000)));
      ServiceInstance squat = mine.withAddress("127.0.0.1.31.64");
      assertEquals(0, claimsRoot.call(Names.REGISTER, new Names.RegisterArgs(squat, 60_000)), "refused");
      assertEquals(List.of("127.0.0.1.3.232"),
          claimsRoot.call(Names.LOOKUP, name).stream().map(ServiceInstance::address).toList());
      assertEquals(0, claimsRoot.call(Names.REGISTER,
          new Names.RegisterArgs(new ServiceInstance("org.onyxrpc.test.Other", 0x20000778, 1, "tcp",
              "127.0.0.1.3.3", ""), 60_000)), "nor under a name of its own");
      assertEquals(0, claimsRoot.call(Names.REGISTER, new Names.RegisterArgs(
          new ServiceInstance(name, 0x20000777, 1, "tcp", "127.0.0.1.3.3", ""), 60_000)),
          "nor its name under another program, which a look-up of the name would list first");
      assertEquals(List.of("127.0.0.1.3.232"),
          claimsRoot.call(Names.LOOKUP, name).stream().map(ServiceInstance::address).toList());
      assertEquals("127.0.0.1.3.232",
          claimsRoot.call(Rpcb.getAddr(4), new Rpcb.Mapping(0x20000778, 1, "tcp", "", "")));
    }
  }

  /**
   * A program version mapped through the local socket (SET, no name) takes no other owner's
   * instance under a name either. Before, a caller over TCP registered the same program, version
   * and netid under a name of its own, at an address that sorts before the owner's, and GETADDR
   * (what C clients and a client built with directory(program, version) ask) answered with the
   * squatter's, as the SET this test's sibling refuses would have made it.
   */
  @Test
  void aProgramVersionMappedThroughTheLocalSocketIsNotJoinedUnderAName() throws Exception {
    Path socket = dir.resolve("rpcbind.sock");
    try (DirectoryFixture fixture = new DirectoryFixture(0, socket);
        RpcClient claimsRoot = fixture.client(Transport.TCP, 0)) {
      Rpcb.Mapping mine = new Rpcb.Mapping(0x20000779, 1, "tcp", "127.0.0.1.31.64", "");
      assertTrue(callLocally(socket, Rpcb.set(4), mine));
      for (String netid : List.of("tcp", "udp")) {
        ServiceInstance squat = new ServiceInstance("org.onyxrpc.test.Squat", 0x20000779, 1, netid,
            "127.0.0.1.3.3", "");
        assertEquals(0, claimsRoot.call(Names.REGISTER, new Names.RegisterArgs(squat, 60_000)), netid);
      }
      assertEquals("127.0.0.1.31.64",
          claimsRoot.call(Rpcb.getAddr(4), new Rpcb.Mapping(0x20000779, 1, "tcp", "", "")));
      assertEquals(60_000, claimsRoot.call(Names.REGISTER, new Names.RegisterArgs(
          new ServiceInstance("org.onyxrpc.test.Squat", 0x20000779, 2, "tcp", "127.0.0.1.3.3", ""),
          60_000)), "another version is another service");

      assertTrue(callLocally(socket, Rpcb.unset(4), mine));
      assertEquals(60_000, claimsRoot.call(Names.REGISTER, new Names.RegisterArgs(
          new ServiceInstance("org.onyxrpc.test.Squat", 0x20000779, 1, "tcp", "127.0.0.1.3.3", ""),
          60_000)), "the program version is free once its owner's entries are gone");
    }
  }
}
