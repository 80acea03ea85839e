package org.onyxrpc.tls;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSocket;

/**
 * A client that asks for TLS byte by byte, as RFC 9289 says, then speaks it through the JDK's
 * {@link SSLSocket}: for tests whose TLS peer does what Onyx's client never would.
 */
final class RawStartTls {
  private RawStartTls() {}

  /** A record-marked call to WHO_AM_I (procedure 1), or with {@code credentialFlavor} 7 the NULL probe. */
  static byte[] call(int xid, int credentialFlavor) {
    return ByteBuffer.allocate(44).putInt(0x80000000 | 40).putInt(xid).putInt(0).putInt(2)
        .putInt(RpcTlsTest.PROGRAM).putInt(1).putInt(credentialFlavor == 7 ? 0 : 1)
        .putInt(credentialFlavor).putInt(0).putInt(0).putInt(0).array();
  }

  /**
   * Sends the AUTH_TLS probe over {@code raw}, reads its STARTTLS reply and layers a TLS socket
   * trusting {@code ca} over it, not yet handshaken (its close leaves the TCP connection open).
   */
  static SSLSocket upgrade(Socket raw, int port, TestCertificates.Authority ca, int probeXid) throws Exception {
    raw.getOutputStream().write(call(probeXid, 7));
    new DataInputStream(raw.getInputStream()).readFully(new byte[36]);
    return (SSLSocket) TestCertificates.jdkClientContext(ca, "TLS").getSocketFactory()
        .createSocket(raw, "localhost", port, false);
  }
}
