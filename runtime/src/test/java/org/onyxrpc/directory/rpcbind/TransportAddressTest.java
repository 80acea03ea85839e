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

  /**
   * A Unix socket's path (netid local) is a sockaddr_un: the family 1 and the path's bytes, as
   * libtirpc makes it and rpcbind answers rpcb_uaddr2taddr; before, the directory answered none.
   */
  @Test
  void aSocketPathIsASockaddrUn() {
    byte[] un = TransportAddress.fromUniversal("/run/a.sock");
    assertArrayEquals(new byte[] {1, 0, '/', 'r', 'u', 'n', '/', 'a', '.', 's', 'o', 'c', 'k'}, un);
    assertEquals("/run/a.sock", TransportAddress.toUniversal(un));
    assertEquals("/run/a.sock", TransportAddress.toUniversal(new byte[] {0, 1, '/', 'r', 'u', 'n', '/', 'a', '.', 's',
        'o', 'c', 'k', 0, 'x'}), "big-endian family, sun_path up to its NUL");
    assertEquals(2 + 107, TransportAddress.fromUniversal("/" + "p".repeat(106)).length);
    assertEquals(0, TransportAddress.fromUniversal("/" + "p".repeat(107)).length, "over sun_path");
    assertEquals(0, TransportAddress.fromUniversal("relative.sock").length);
    assertEquals("", TransportAddress.toUniversal(new byte[] {1, 0}));
    assertEquals("", TransportAddress.toUniversal(new byte[] {1, 0, 'x'}));
  }
}
