package org.onyxrpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TlsMode;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A saved at-most-once reply is replayed only to a caller the server would have let make the call:
 * the same TLS certificate, TLS without one, or plaintext, never one for another. A replay skips
 * interceptors, and a client's id, its xids and its arguments are seen by every server it calls;
 * before, a TLS peer with another certificate (or a plaintext one, where TLS is offered) that
 * copied alice's call, client id, xid and all, was handed alice's reply.
 */
class CachedRepliesGoToTheirCallersTest {
  private static final int PROGRAM = 0x20000F11;
  /** Says how the call came: "tls" or "plain", and the client certificate's subject or "none". */
  private static final Procedure<Void, String> WHO = new Procedure<>(PROGRAM, 1, 1, "Who.who",
      XdrCodecs.VOID, XdrCodecs.STRING, CallSemantics.AT_MOST_ONCE);
  private static final OpaqueAuth CREDENTIAL =
      new AuthSys(7, "alice", 1000, 1000, new int[0]).toOpaqueAuth();
  private static final int XID = 77;

  @TempDir static Path dir;
  static TestCertificates.Authority ca;
  static TestCertificates.KeyPair server;
  static TestCertificates.KeyPair alice;
  static TestCertificates.KeyPair mallory;

  private final AtomicInteger runs = new AtomicInteger();
  private RpcServer rpc;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("test-ca");
    server = certs.server(ca, "localhost", "DNS:localhost,IP:127.0.0.1");
    alice = certs.client(ca, "alice");
    mallory = certs.client(ca, "mallory");
  }

  @BeforeEach
  void start() throws Exception {
    rpc = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(WHO, (v, ctx) -> {
              runs.incrementAndGet();
              return (ctx.tls() ? "tls " : "plain ")
                  + ctx.peerPrincipal().map(p -> p.getName()).orElse("none");
            })
            .build())
        .tls(TestCertificates.serverContext(server, ca, ClientAuth.OPTIONAL), TlsMode.OFFER)
        .build().start();
  }

  @AfterEach
  void stop() {
    rpc.close();
  }

  /** Alice's call to WHO as her client sends it, attempt {@code attempt}, record-marked. */
  private static byte[] alicesCall(int attempt) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt(0);
    RpcMessages.writeCall(new XdrWriter(buf), new CallHeader(XID, 2, PROGRAM, 1, WHO.number(),
        CREDENTIAL, new CallTag(0xa11ce, 0xa11ce, true, attempt, 0).toVerifier()));
    buf.setInt(0, 0x80000000 | (buf.readableBytes() - 4));
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static SSLContext withCertificate(TestCertificates.KeyPair own) throws Exception {
    return ((JdkSslContext) TestCertificates.clientContext(ca, own)).context();
  }

  /** Sends {@code call} over TLS made with {@code context} and reads its reply. */
  private ReplyHeader askTls(SSLContext context, byte[] call, String[] result) throws Exception {
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), rpc.port())) {
      raw.setSoTimeout(20_000);
      raw.getOutputStream().write(RawStartTls.call(1, 7));
      new DataInputStream(raw.getInputStream()).readFully(new byte[36]); // the STARTTLS reply
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory()
          .createSocket(raw, "localhost", rpc.port(), true)) {
        return ask(tls.getInputStream(), tls.getOutputStream(), call, result);
      }
    }
  }

  private ReplyHeader askPlain(byte[] call, String[] result) throws Exception {
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), rpc.port())) {
      raw.setSoTimeout(20_000);
      return ask(raw.getInputStream(), raw.getOutputStream(), call, result);
    }
  }

  private static ReplyHeader ask(InputStream in, OutputStream out, byte[] call, String[] result)
      throws IOException {
    out.write(call);
    out.flush();
    DataInputStream data = new DataInputStream(in);
    byte[] reply = new byte[data.readInt() & 0x7fffffff];
    data.readFully(reply);
    XdrReader reader = new XdrReader(Unpooled.wrappedBuffer(reply));
    ReplyHeader header = RpcMessages.readReply(reader);
    result[0] = header.status() == RpcStatus.SUCCESS ? XdrCodecs.STRING.decode(reader) : null;
    return header;
  }

  @Test
  void aRetransmissionFromAnotherCertificateOrWithoutOneIsNotAnsweredWithTheSavedReply()
      throws Exception {
    String[] result = new String[1];
    assertEquals(RpcStatus.SUCCESS, askTls(withCertificate(alice), alicesCall(1), result).status());
    assertEquals("tls CN=alice", result[0]);
    // Mallory copies it all, claiming a retransmission: a call the server has no entry for from
    // her, of an epoch it cannot vouch for, so "outcome unknown", not alice's reply.
    assertEquals(RpcStatus.SYSTEM_ERR,
        askTls(withCertificate(mallory), alicesCall(2), result).status());
    assertEquals(RpcStatus.SYSTEM_ERR,
        askTls(TestCertificates.jdkClientContext(ca, "TLS"), alicesCall(2), result).status());
    assertEquals(RpcStatus.SYSTEM_ERR, askPlain(alicesCall(2), result).status());
    assertEquals(3, rpc.stats().outcomeUnknownReplies());
    assertEquals(1, runs.get());
    // Alice's own retransmission, over a new connection with her certificate: the saved reply.
    assertEquals(RpcStatus.SUCCESS, askTls(withCertificate(alice), alicesCall(3), result).status());
    assertEquals("tls CN=alice", result[0]);
    assertEquals(1, runs.get());
    assertEquals(1, rpc.stats().duplicatesReplayed());
  }

  @Test
  void aFirstTransmissionFromAnotherCallerRunsAsItsOwn() throws Exception {
    String[] result = new String[1];
    askTls(withCertificate(alice), alicesCall(1), result);
    assertEquals("tls CN=alice", result[0]);
    askTls(withCertificate(mallory), alicesCall(1), result);
    assertEquals("tls CN=mallory", result[0]);
    askTls(TestCertificates.jdkClientContext(ca, "TLS"), alicesCall(1), result);
    assertEquals("tls none", result[0]);
    askPlain(alicesCall(1), result);
    assertEquals("plain none", result[0]);
    assertEquals(4, runs.get());
    // Each one's retransmission gets its own reply; none runs again.
    askPlain(alicesCall(2), result);
    assertEquals("plain none", result[0]);
    askTls(withCertificate(mallory), alicesCall(2), result);
    assertEquals("tls CN=mallory", result[0]);
    askTls(withCertificate(alice), alicesCall(2), result);
    assertEquals("tls CN=alice", result[0]);
    assertEquals(4, runs.get());
    assertEquals(3, rpc.stats().duplicatesReplayed());
  }
}
