package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Both codecs of the codec benchmark round-trip the sample, at the sizes its Javadoc states. */
class CodecsTest {
  @Test
  void bothCodecsRoundTripTheSample() throws IOException {
    Codecs codecs = new Codecs();
    assertEquals(64, codecs.xdrIn.readableBytes());
    assertEquals(55, codecs.protoLength);
    assertEquals(Trade.SAMPLE, codecs.xdrDecode());
    assertEquals(Trade.SAMPLE, codecs.protobufDecode());
    assertEquals(64, codecs.xdrEncode());
    assertEquals(55, codecs.protobufEncode());
  }
}
