package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Over the Unix-domain socket a saved at-most-once reply goes only to the user (uid and gid, as
 * the kernel reports them) whose call made it: a procedure or interceptor that trusts {@link
 * CallContext#peerCredentials()} is skipped by a replay, so before, user nobody copying root's
 * call (client id, xid and all) was handed root's reply. Needs root (to be another user with
 * setpriv) and python3 as the other user's client.
 */
class UnixCachedRepliesGoToTheirUsersTest {
  private static final int PROGRAM = 0x20000a13;
  /** Says whose call it was: the uid the kernel reports. */
  private static final Procedure<Void, String> WHO = new Procedure<>(PROGRAM, 1, 1,
      "Users.who", XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  /** A client of nobody's: sends stdin's hex as a record, prints the reply's as hex. */
  private static final String NOBODYS_CLIENT = String.join("\n",
      "import socket, struct, sys",
      "call = bytes.fromhex(sys.stdin.read().strip())",
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
      "s.connect(sys.argv[1])",
      "s.sendall(struct.pack('>I', 0x80000000 | len(call)) + call)",
      "def exactly(n):",
      "    b = b''",
      "    while len(b) < n:",
      "        more = s.recv(n - len(b))",
      "        if not more: sys.exit('closed')",
      "        b += more",
      "    return b",
      "mark = struct.unpack('>I', exactly(4))[0] & 0x7fffffff",
      "print(exactly(mark).hex())");

  private final AtomicInteger runs = new AtomicInteger();
  private Path work;
  private Path socket;
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    // Skipped on a developer's machine without them, failed under CI (Unavailable).
    // The uid, not user.name: uid 0 may have no name in a container.
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      Unavailable.because("needs root, to be nobody too; uid " + uid);
    }
    if (!Files.isExecutable(Paths.get("/usr/bin/setpriv"))
        || !Files.isExecutable(Paths.get("/usr/bin/python3"))) {
      Unavailable.because("needs setpriv (util-linux) and python3");
    }
    work = Files.createTempDirectory("onyx-unix-users");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = work.resolve("users.sock");
    server = RpcServer.builder().unixSocket(socket).transports(Transport.UNIX)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(WHO, (v, ctx) -> {
              runs.incrementAndGet();
              return "uid " + ctx.peerCredentials().orElseThrow().uid();
            })
            .build())
        .build().start();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (work != null) {
      Files.deleteIfExists(socket);
      Files.delete(work);
    }
  }

  private static byte[] rootsCall(int attempt) {
    ByteBuf buf = Unpooled.buffer();
    RpcMessages.writeCall(new XdrWriter(buf), new CallHeader(5, 2, PROGRAM, 1, WHO.number(),
        OpaqueAuth.NONE, new CallTag(0x7007, 0x7007, true, attempt, 0).toVerifier()));
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private byte[] askAsRoot(byte[] call) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer record = ByteBuffer.allocate(4 + call.length)
          .putInt(0x80000000 | call.length).put(call).flip();
      while (record.hasRemaining()) {
        channel.write(record);
      }
      ByteBuffer mark = readFully(channel, 4);
      return readFully(channel, mark.getInt() & 0x7fffffff).array();
    }
  }

  private byte[] askAsNobody(byte[] call) throws Exception {
    Process p = new ProcessBuilder(List.of("setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups", "/usr/bin/python3", "-c", NOBODYS_CLIENT, socket.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(HexFormat.of().formatHex(call).getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "nobody's client did not end");
    assertEquals(0, p.exitValue(), "nobody's client failed");
    return HexFormat.of().parseHex(out);
  }

  private static ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw new IOException("closed after " + buf.position() + " of " + length + " bytes");
      }
    }
    return buf.flip();
  }

  /** The reply's status, and its string if SUCCESS. */
  private static String answer(byte[] reply) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(reply));
    ReplyHeader header = RpcMessages.readReply(in);
    return header.status() == RpcStatus.SUCCESS ? XdrCodecs.STRING.decode(in)
        : header.status().toString();
  }

  @Test
  void anotherUserCopyingACallIsNotAnsweredWithItsSavedReply() throws Exception {
    assertEquals("uid 0", answer(askAsRoot(rootsCall(1))));
    // Claimed as a retransmission: nothing of nobody's to replay, of an epoch the server cannot
    // vouch for, so "outcome unknown".
    assertEquals("SYSTEM_ERR", answer(askAsNobody(rootsCall(2))));
    assertEquals(1, runs.get());
    // As a first transmission it runs, as nobody's own call; each gets its own reply again.
    assertEquals("uid 65534", answer(askAsNobody(rootsCall(1))));
    assertEquals("uid 65534", answer(askAsNobody(rootsCall(3))));
    assertEquals("uid 0", answer(askAsRoot(rootsCall(3))));
    assertEquals(2, runs.get());
    assertEquals(2, server.stats().duplicatesReplayed());
  }
}
