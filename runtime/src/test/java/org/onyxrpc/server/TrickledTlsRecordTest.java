package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.transport.TrickledReads;
import org.onyxrpc.tls.TestCertificates;

/**
 * A TLS record trickled a byte per read, into the server's TLS handler over OpenSSL, whose
 * handler gathers a record's reads in a composite: every read's 2 KiB buffer was kept until the
 * record was whole (a 16 KiB record, 32 MiB), unseen by the byte budget. The JDK's handler copies
 * reads into one buffer and never did.
 */
class TrickledTlsRecordTest {
  @TempDir Path dir;

  @Test
  void aTlsRecordTrickledAByteAtATimeDoesNotKeepEveryReadsBuffer() throws Exception {
    assertTrue(OpenSsl.isAvailable(), "the tests have netty-tcnative: " + OpenSsl.unavailabilityCause());
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.KeyPair server = certs.server(certs.authority("ca"), "localhost", "DNS:localhost");
    ServerTls tls = ServerTls.of(SslContextBuilder.forServer(server.certificate(), server.key())
        .sslProvider(SslProvider.OPENSSL).build(), TlsMode.REQUIRE);
    EmbeddedChannel ch = new EmbeddedChannel(tls.newHandler(ByteBufAllocator.DEFAULT));
    // A handshake record of 16 KiB: the handler waits for all of it.
    TrickledReads trickle = new TrickledReads(ch, new byte[] {0x16, 0x03, 0x01, 0x40, 0x00}, 3000);
    assertTrue(trickle.held() <= 32, trickle.held() + " of 3000 reads' buffers held");
    ch.finishAndReleaseAll();
  }
}
