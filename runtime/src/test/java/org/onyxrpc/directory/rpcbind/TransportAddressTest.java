package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransportAddressTest {
  @Test
  void transportAddressesAreLinuxSockaddrs() {
    byte[] v4 = TransportAddress.fromUniversal("127.0.0.1.18.103");
    assertArrayEquals(new byte[] {2, 0, 0x12, 0x67, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, v4);
    assertEquals("127.0.0.1.18.103", TransportAddress.toUniversal(v4));
    byte[] v6 = TransportAddress.fromUniversal("::1.0.111");
    assertEquals(28, v6.length);
    assertEquals(10, v6[0]);
    assertEquals("::1.0.111", TransportAddress.toUniversal(v6));
    assertEquals("", TransportAddress.toUniversal(new byte[] {7, 0, 1}));
    assertEquals(0, TransportAddress.fromUniversal("nonsense").length);
  }
}
