package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.tls.LocalhostCertificates;
import org.onyxrpc.tls.TestCertificates;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A raw peer that sends a call, the AUTH_TLS probe and another call in one go, while the first
 * call holds its connection at its call limit: the probe and the call behind it wait, and when
 * their turn comes the probe is answered and TLS started; the call behind it was sent in
 * plaintext before the STARTTLS reply, so it must close the connection, not run as a call
 * "inside TLS" (which is what it looked like to the procedure and the authenticator). And a call
 * still in flight when the probe comes must not have its reply sent inside TLS.
 */
@ExtendWith(LeakDetection.class)
class CallsHeldBehindTheProbeTest {
  private static final int PROGRAM = 0x20000F06;
  private static final Procedure<Void, Boolean> SEEN = new Procedure<>(PROGRAM, 1, 1, "Seen.tls",
      XdrCodecs.VOID, XdrCodecs.BOOL);
  @RegisterExtension static final LocalhostCertificates certs = new LocalhostCertificates();

  private static byte[] record(byte[] message) {
    return ByteBuffer.allocate(4 + message.length).putInt(0x8000_0000 | message.length)
        .put(message).array();
  }

  @Test
  void aCallQueuedBehindTheProbeClosesTheConnectionInsteadOfRunningAsIfInTls() throws Exception {
    TestService service = new TestService();
    AtomicInteger seen = new AtomicInteger();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none()).maxConcurrentCallsPerConnection(1)
        .addService(service.definition())
        .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(SEEN, (v, ctx) -> {
          seen.incrementAndGet();
          return ctx.tls();
        }).build())
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE), TlsMode.OFFER)
        .build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      byte[] probe = ByteBuffer.allocate(40).putInt(2).putInt(0).putInt(2).putInt(PROGRAM)
          .putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
      byte[] behind = RawTcpPeer.call(3, 2, PROGRAM, 1, SEEN.number(), OpaqueAuth.NONE, new byte[0]);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      wire.write(record(TestService.rawHold(1, 1)));
      wire.write(record(probe));
      wire.write(record(behind));
      peer.sendRaw(wire.toByteArray());
      Await.until(() -> service.holding.get() == 1
          && server.bufferedBytes() == probe.length + behind.length // both held at the limit,
              + 2 * WaitingRecords.MARK_BYTES); // each charged its record mark too

      service.gate.countDown();
      assertEquals(ReplyHeader.accepted(1, RpcStatus.SUCCESS), peer.readReply());
      ReplyHeader startTls = peer.readReply();
      assertEquals(2, startTls.xid());
      assertEquals(RpcStatus.SUCCESS, startTls.status());
      assertTrue(peer.closedByPeer(), "the plaintext call behind the probe closes the connection");
      assertEquals(0, seen.get(), "it never ran");
    }
  }

  /** The AUTH_TLS probe (NULL, AUTH_TLS credential) with {@code xid}, unframed. */
  private static byte[] probe(int xid) {
    return ByteBuffer.allocate(40).putInt(xid).putInt(0).putInt(2).putInt(PROGRAM)
        .putInt(1).putInt(0).putInt(7).putInt(0).putInt(0).putInt(0).array();
  }

  /**
   * A call in flight (running or in line) when the probe is answered was sent in plaintext, and
   * its reply was sent inside TLS once the handshake was done: a reply the client took as
   * protected, to a call a man in the middle can have put in front of the client's probe (as
   * STARTTLS injection in SMTP, CVE-2011-0411, the other way round). Before the fix the probe was answered STARTTLS and
   * the held call's reply came inside TLS; now the connection is closed without starting TLS.
   */
  @Test
  void aProbeWhileACallSentBeforeItIsInFlightClosesTheConnectionAndNoPlaintextReplyIsInTls()
      throws Exception {
    TestService service = new TestService();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).directory(Directory.none()).addService(service.definition())
        .tls(TestCertificates.serverContext(certs.server(), certs.ca(), ClientAuth.NONE), TlsMode.OFFER)
        .build().start();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      raw.setSoTimeout(10_000);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      wire.write(record(TestService.rawHold(1, 1)));
      wire.write(record(probe(2)));
      // The held call is in flight (running, or in line for a worker) when the probe is read.
      raw.getOutputStream().write(wire.toByteArray());
      DataInputStream in = new DataInputStream(raw.getInputStream());
      int first;
      try {
        first = in.read();
      } catch (IOException e) {
        first = -1; // reset: closed all the same
      }
      if (first != -1) { // the STARTTLS reply: the held call's reply must not come inside TLS
        in.readFully(new byte[35]);
        SSLSocket tls = (SSLSocket) TestCertificates.jdkClientContext(certs.ca(), "TLS")
            .getSocketFactory().createSocket(raw, "localhost", server.port(), false);
        tls.startHandshake();
        service.gate.countDown();
        byte[] reply;
        try {
          reply = RawTcpPeer.readRecord(new DataInputStream(tls.getInputStream()));
        } catch (SocketTimeoutException e) {
          reply = null;
        }
        throw new AssertionError("TLS started with a plaintext call in flight; inside TLS came "
            + (reply == null ? "nothing" : "the reply of xid " + ByteBuffer.wrap(reply).getInt(0)));
      }
      service.gate.countDown();
      Await.until(() -> server.callsInFlight() == 0);
    }
  }
}
