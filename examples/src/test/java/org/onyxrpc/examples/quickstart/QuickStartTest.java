package org.onyxrpc.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/** Keeps the output the README promises a newcomer honest. */
class QuickStartTest {
  @Test
  void printsWhatTheReadmeShows() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        server: program 0x20000101 version 1 on TCP and UDP
        tcp: NULL ping answered
        tcp: add(2, 40) = 42
        tcp: describe(7) = 7 is odd
        tcp: divide(1, 0) failed: SYSTEM_ERR, so it may have run
        udp: add(-5, 3) = -2
        server: shut down
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The codec written by hand charges its record as generated ones do: the README shows it. */
  @Test
  void operandsChargeTheirRecord() {
    ByteBuf buf = Unpooled.buffer();
    Calculator.Operands.CODEC.encode(new XdrWriter(buf), new Calculator.Operands(2, 40));
    XdrReader in = new XdrReader(buf);
    assertEquals(new Calculator.Operands(2, 40), in.readWhole(Calculator.Operands.CODEC));
    assertEquals(16 + 2 * 8, in.decodedBytes());
    buf.release();
  }
}
