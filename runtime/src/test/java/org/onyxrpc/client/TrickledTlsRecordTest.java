package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.internal.transport.TrickledReads;
import org.onyxrpc.tls.TestCertificates;

/**
 * A server that trickles a TLS record a byte per read to a client over OpenSSL, whose TLS handler
 * gathers a record's reads in a composite: every read's 2 KiB buffer was kept until the record
 * was whole (a 16 KiB record, 32 MiB of the client's memory).
 */
class TrickledTlsRecordTest {
  @TempDir Path dir;

  @Test
  void aTlsRecordTrickledAByteAtATimeDoesNotKeepEveryReadsBuffer() throws Exception {
    assertTrue(OpenSsl.isAvailable(), "the tests have netty-tcnative: " + OpenSsl.unavailabilityCause());
    TestCertificates.Authority ca = new TestCertificates(dir).authority("ca");
    ClientTls tls = ClientTls.of(TestCertificates.clientContext(ca, null, SslProvider.OPENSSL), 1, 1);
    EmbeddedChannel ch = new EmbeddedChannel(tls.newHandler(ByteBufAllocator.DEFAULT, "localhost", 1));
    // The server's first record, of 16 KiB: the handler waits for all of it.
    TrickledReads trickle = new TrickledReads(ch, new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}, 3000);
    assertTrue(trickle.held() <= 32, trickle.held() + " of 3000 reads' buffers held");
    ch.finishAndReleaseAll();
  }
}
