package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.api.Test;

/** What a peer's garbage puts in the log: one short line, whatever it sent. */
class LoggedComplaintTest {
  @Test
  void garbageInsteadOfTlsIsNotCopiedIntoTheLog() {
    // Netty's message for bytes that are not TLS: all of them, in hex.
    String hex = ByteBufUtil.hexDump(new byte[64 * 1024]);
    String line = TcpConnection.loggable(new NotSslRecordException("not an SSL/TLS record: " + hex));
    assertTrue(line.length() < 300, line.length() + " characters");
    assertTrue(line.startsWith("not an SSL/TLS record: 0000"), line);
    assertTrue(line.endsWith("(" + (23 + hex.length()) + " characters)"), line);
    assertEquals("record too large", TcpConnection.loggable(new DecoderException("record too large")));
  }
}
