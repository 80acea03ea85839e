package org.onyxrpc.internal.directory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UniversalAddressesTest {
  @Test
  void ipv4AndIpv6UniversalAddressesParse() {
    assertTrue(UniversalAddresses.parses("127.0.0.1.18.103"));
    assertTrue(UniversalAddresses.parses("::1.0.111"));
  }

  @Test
  void anythingElseDoesNot() {
    assertFalse(UniversalAddresses.parses(""));
    assertFalse(UniversalAddresses.parses("localhost:4711"));
    assertFalse(UniversalAddresses.parses("127.0.0.1.256.1"));
    assertFalse(UniversalAddresses.parses("010.0.0.1.0.111"));
  }
}
