package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Any text as a universal address, as a peer sends one (rpcbind's SET and replies, the names
 * protocol, a ZooKeeper znode) or a user types one: a socket address or an {@link
 * IllegalArgumentException}, nothing else; never a name look-up (the JDK reads text starting with
 * a hex digit or ':' as a literal, and looks anything else up); an address read prints as a
 * universal address that reads back the same. Corpus: {@code
 * src/test/resources/org/onyxrpc/directory/UniversalAddressFuzzTestInputs}.
 */
class UniversalAddressFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    String uaddr = new String(input, StandardCharsets.UTF_8);
    InetSocketAddress address;
    try {
      address = UniversalAddress.parse(uaddr);
    } catch (IllegalArgumentException refused) {
      if (refused.getCause() != null) {
        // Only the JDK's literal parser may refuse it, never the name service.
        assertInstanceOf(UnknownHostException.class, refused.getCause());
        char first = uaddr.charAt(0);
        assertTrue(Character.digit(first, 16) >= 0 || first == ':', "looked up: " + uaddr);
      }
      return;
    }
    assertFalse(address.isUnresolved());
    String printed = UniversalAddress.format(address);
    assertTrue(printed.length() <= UniversalAddress.MAX_LENGTH, printed);
    assertEquals(address, UniversalAddress.parse(printed), "reads back as printed: " + printed);
  }
}
