package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.ServiceInstance;

/**
 * A znode's name holds a registration's strings URL-encoded; a byte that is not UTF-8 (read as a
 * lone surrogate U+DC80..U+DCFF) is named as that byte, so that no two keys share a znode.
 */
class StoredEntryNodeNameTest {
  private static ServiceInstance.Key key(String netid) {
    return new ServiceInstance.Key(0x20000101, 1, netid, "x");
  }

  @Test
  void aByteThatIsNotUtf8IsNamedAsThatByteNotAsAQuestionMark() {
    assertEquals("h/20000101~1~%FF%E9~x", StoredEntry.nodeName("h", key("\udcff\udce9")));
    assertEquals("h/20000101~1~%3F%3F~x", StoredEntry.nodeName("h", key("??")));
    assertEquals("caf%E9", StoredEntry.hostNode("caf\udce9"));
    assertNotEquals(StoredEntry.hostNode("caf\udce9"), StoredEntry.hostNode("caf\u00e9"));
  }

  @Test
  void textIsUrlEncodedAsBefore() {
    assertEquals("caf%C3%A9+%F0%9F%98%80%3F%3F", StoredEntry.hostNode("caf\u00e9 \ud83d\ude00\ud800?"));
    assertEquals("a%3F%F0%9F%98%80b%80", StoredEntry.hostNode("a\ud800\ud83d\ude00b\udc80"));
  }
}
