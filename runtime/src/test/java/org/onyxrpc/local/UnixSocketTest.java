package org.onyxrpc.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.Authenticator;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.Peer;
import org.onyxrpc.server.PeerCredentials;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.onyxrpc.xdr.XdrCodecs;

/** Transport.UNIX: paths and abstract names, SO_PEERCRED, the socket file's life, the directory. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "Unix-domain sockets need Linux (Netty's epoll)")
class UnixSocketTest {
  private static final int PROGRAM = 0x20000777;
  private static final Procedure<Void, Void> WHO =
      new Procedure<>(PROGRAM, 1, 1, "Who.ami", XdrCodecs.VOID, XdrCodecs.VOID);

  @TempDir
  Path dir;

  /** A service that keeps the context of the last call it served. */
  private static ServiceDefinition recording(AtomicReference<CallContext> seen) {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(WHO, (v, ctx) -> {
          seen.set(ctx);
          return null;
        })
        .build();
  }

  private static PeerCredentials mine() throws IOException {
    Path self = Path.of("/proc/self");
    return new PeerCredentials((int) ProcessHandle.current().pid(),
        (Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid"));
  }

  @Test
  void theKernelsWordOnTheCallerReachesTheProcedureBesideTheAuthSysClaim() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    Path socket = dir.resolve("who.sock");
    AuthSys claim = new AuthSys(0, "anyhost", 0, 0, new int[0]); // root, says the caller
    try (RpcServer server = RpcServer.builder().unixSocket(socket).directory(new LocalDirectory(
            new InMemoryDirectoryStore())).addService(recording(seen)).build().start();
        RpcClient client = RpcClient.builder().unixSocket(socket).credentials(claim).build()) {
      client.call(WHO, null);
      CallContext ctx = seen.get();
      assertEquals(Transport.UNIX, ctx.transport());
      assertEquals(mine(), ctx.peerCredentials().orElseThrow());
      assertEquals(claim.toString(), ctx.credentials().toString(), "the claim stays a claim, apart");
      assertEquals(0, server.port(), "no IP port");
      assertEquals(UnixSocketAddress.of(socket), server.unixSocket().orElseThrow());
      assertEquals(UnixSocketAddress.of(socket), client.address());
    }
    assertFalse(Files.exists(socket), "removed on close");
  }

  /**
   * An authenticator sees the kernel's word on the caller too, so it can refuse an AUTH_SYS claim
   * of a uid that is not the caller's. Before, {@code Peer} had no such component: the server
   * built it without the connection's SO_PEERCRED, and no authenticator could tell.
   */
  @Test
  void anAuthenticatorSeesTheKernelsUidAndRefusesAClaimOfAnother() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    AtomicReference<Peer> judged = new AtomicReference<>();
    Authenticator sameUid = new Authenticator() {
      @Override
      public Credentials authenticate(CallHeader call) {
        return Authenticator.DEFAULT.authenticate(call);
      }

      @Override
      public Credentials authenticate(CallHeader call, Peer peer) {
        judged.set(peer);
        Credentials claim = authenticate(call);
        if (claim instanceof AuthSys sys && peer.peerCredentials().isPresent()
            && sys.uid() != peer.peerCredentials().get().uid()) {
          throw RpcException.authError(AuthStatus.AUTH_BADCRED, "not the caller's uid");
        }
        return claim;
      }
    };
    PeerCredentials me = mine();
    Path socket = dir.resolve("judged.sock");
    try (RpcServer server = RpcServer.builder().unixSocket(socket).directory(org.onyxrpc.directory.Directory.none())
            .authenticator(sameUid).addService(recording(seen)).build().start();
        RpcClient honest = RpcClient.builder().unixSocket(socket)
            .credentials(new AuthSys(0, "anyhost", me.uid(), me.gid(), new int[0])).build();
        RpcClient liar = RpcClient.builder().unixSocket(socket)
            .credentials(new AuthSys(0, "anyhost", me.uid() + 1, me.gid(), new int[0])).build()) {
      honest.call(WHO, null);
      assertEquals(me, judged.get().peerCredentials().orElseThrow());
      assertEquals(Transport.UNIX, judged.get().transport());
      RpcException refused = assertThrows(RpcException.class, () -> liar.call(WHO, null));
      assertEquals(RpcStatus.AUTH_ERROR, refused.status());
      assertEquals(AuthStatus.AUTH_BADCRED, refused.authStatus());
    }
  }

  @Test
  void anAbstractNameLeavesNoFile() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    UnixSocketAddress name = UnixSocketAddress.parse("@onyx-test-" + ProcessHandle.current().pid());
    assertTrue(name.isAbstract());
    try (RpcServer server = RpcServer.builder().unixSocket(name).directory(new LocalDirectory(
            new InMemoryDirectoryStore())).addService(recording(seen)).build().start();
        RpcClient client = RpcClient.builder().unixSocket(name).build()) {
      client.call(WHO, null);
      assertEquals(mine(), seen.get().peerCredentials().orElseThrow());
      // A second server cannot take the name while the first holds it.
      IOException taken = assertThrows(IOException.class, () -> RpcServer.builder().unixSocket(name)
          .directory(org.onyxrpc.directory.Directory.none()).addService(recording(seen)).build().start());
      assertTrue(taken.getMessage().startsWith("cannot listen on Unix-domain socket " + name), taken.getMessage());
    }
  }

  @Test
  void aStaleSocketFileIsReplacedButALiveOneOrAPlainFileIsLeftAlone() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file, as a crash would
    }
    assertTrue(Files.exists(stale));
    try (RpcServer server = RpcServer.builder().unixSocket(stale).directory(new LocalDirectory(
            new InMemoryDirectoryStore())).addService(recording(seen)).build().start();
        RpcClient client = RpcClient.builder().unixSocket(stale).build()) {
      client.call(WHO, null);
      IOException live = assertThrows(IOException.class, () -> RpcServer.builder().unixSocket(stale)
          .addService(recording(seen)).build().start());
      assertEquals("cannot listen on " + stale + ": a running server listens on it", live.getMessage());
      client.call(WHO, null); // the first server still serves on its file
    }

    Path plain = dir.resolve("notes.txt");
    Files.writeString(plain, "keep me");
    IOException notSocket = assertThrows(IOException.class, () -> RpcServer.builder().unixSocket(plain)
        .addService(recording(seen)).build().start());
    assertEquals("cannot listen on " + plain + ": it exists and is not a socket", notSocket.getMessage());
    assertEquals("keep me", Files.readString(plain));
  }

  @Test
  void closeLeavesASocketFileThatAnotherServerPutInItsPlace() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    Path socket = dir.resolve("shared.sock");
    RpcServer first = RpcServer.builder().unixSocket(socket).directory(org.onyxrpc.directory.Directory.none())
        .addService(recording(seen)).build().start();
    Files.delete(socket); // an operator removed it, and another server took the path
    try (ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      second.bind(UnixDomainSocketAddress.of(socket));
      first.close();
      assertTrue(Files.exists(socket), "not the first server's to remove");
    }
  }

  @Test
  void registeredWithTheLocalNetidAndFoundThroughTheDirectory() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    Path socket = dir.resolve("found.sock");
    try (RpcServer server = RpcServer.builder().unixSocket(socket).port(0)
            .transports(Transport.TCP, Transport.UNIX).directory(directory)
            .addService(recording(seen)).build().start()) {
      List<String> entries = directory.lookup(PROGRAM, 1).stream()
          .map(i -> i.netid() + " " + i.address()).sorted().toList();
      String port = (server.port() >> 8) + "." + (server.port() & 0xFF);
      assertEquals(List.of("local " + socket, "tcp 127.0.0.1." + port, "tcp6 ::1." + port), entries);
      try (RpcClient client = RpcClient.builder().transport(Transport.UNIX)
          .directory(directory, PROGRAM, 1).build()) {
        client.call(WHO, null);
        assertEquals(Transport.UNIX, seen.get().transport());
      }
      try (RpcClient tcp = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
        tcp.call(WHO, null);
        assertEquals(Transport.TCP, seen.get().transport());
        assertTrue(seen.get().peerCredentials().isEmpty(), "no kernel word over TCP");
      }
    }
    assertTrue(directory.lookup(PROGRAM, 1).isEmpty(), "withdrawn on close");
  }

  @Test
  void aDirectoryInAnotherProcessTakesTheLocalEntryFromThisMachine() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    LocalDirectory behind = new LocalDirectory(new InMemoryDirectoryStore());
    Path socket = dir.resolve("remote.sock");
    try (DirectoryServer directory = DirectoryServer.builder()
            .bind(java.net.InetAddress.getLoopbackAddress(), 0).directory(behind).build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1", directory.port());
        RpcServer server = RpcServer.builder().unixSocket(socket).directory(remote)
            .addService(recording(seen)).build().start()) {
      assertEquals(List.of("local " + socket), remote.lookup(PROGRAM, 1).stream()
          .map(i -> i.netid() + " " + i.address()).toList());
      try (RpcClient client = RpcClient.builder().transport(Transport.UNIX)
          .directory(remote, PROGRAM, 1).build()) {
        client.call(WHO, null);
        assertEquals(mine(), seen.get().peerCredentials().orElseThrow());
      }
    } finally {
      behind.close();
    }
  }

  @Test
  void nobodyListeningIsUnavailableAndNothingRan() {
    Path missing = dir.resolve("nobody.sock");
    try (RpcClient client = RpcClient.builder().unixSocket(missing).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status());
      assertTrue(e.getMessage().startsWith("cannot reach local " + missing + " to call Test.add"),
          e.getMessage());
      assertFalse(e.getMessage().endsWith("null"), e.getMessage()); // the reason, not "null"
    }
  }

  @Test
  void addressesAreCheckedWhereTheyAreMade() {
    assertEquals("@calc", UnixSocketAddress.parse("\0calc").toString());
    assertEquals("\0calc", UnixSocketAddress.parse("@calc").kernelName());
    assertThrows(IllegalStateException.class, () -> UnixSocketAddress.parse("@calc").path());
    assertThrows(IllegalArgumentException.class, () -> UnixSocketAddress.parse("@"));
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
        () -> UnixSocketAddress.of(Path.of("/tmp/" + "x".repeat(103))));
    assertTrue(tooLong.getMessage().startsWith("Unix socket name of 108 bytes is over the 107"), tooLong.getMessage());
    assertThrows(IllegalStateException.class, () -> RpcServer.builder().transports(Transport.UNIX)
        .addService(new TestService().definition()).build());
    assertThrows(IllegalStateException.class, () -> RpcClient.builder().address("localhost", 1)
        .transport(Transport.UNIX).build());
  }
}
