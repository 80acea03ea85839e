package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import org.onyxrpc.directory.HostIdentity;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrReader;

/**
 * Any bytes as a znode's data, written by another host or by anyone with access to the
 * ensemble, read as {@link HostsReader} reads it: an entry or an {@link IllegalArgumentException}
 * (the znode is skipped), nothing else; no allocation beyond a small multiple of the data; an
 * entry accepted is one its own writer would write (it encodes to the same bytes), and what
 * other machines are given is an address they can call. The znode's name is the one the entry
 * belongs under when the data names one, so the checks after the name are reached. Corpus:
 * {@code src/test/resources/org/onyxrpc/directory/zookeeper/StoredEntryFuzzTestInputs}.
 */
class StoredEntryFuzzTest {
  @FuzzTest
  void decode(byte[] data) {
    String name = nameClaimedBy(data);
    Allocations.bounded(data.length, 32, () -> check(name, data));
  }

  private static void check(String name, byte[] data) {
    StoredEntry entry;
    try {
      entry = StoredEntry.decode(name, data);
    } catch (IllegalArgumentException skipped) {
      return;
    }
    assertEquals(name, StoredEntry.nodeName(entry.host(), entry.registration().instance().key()));
    byte[] written = entry.encode();
    assertArrayEquals(data, written, "written as it was read, bytes that are not UTF-8 included");
    Registration elsewhere = entry.seenFromElsewhere();
    if (entry.advertised().isEmpty()) {
      assertNull(elsewhere);
    } else {
      assertNotNull(elsewhere);
      ServiceInstance served = elsewhere.instance();
      assertEquals(entry.advertised(), served.address());
      assertNotNull(UniversalAddress.transport(served.netid()));
      assertTrue(!UniversalAddress.parse(served.address()).getAddress().isAnyLocalAddress());
    }
  }

  /** The node name the data's entry belongs under, or an arbitrary one if it names none. */
  private static String nameClaimedBy(byte[] data) {
    try {
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(data));
      ServiceInstance instance = Names.INSTANCE.decode(in);
      in.readHyper();
      return StoredEntry.nodeName(in.readString(HostIdentity.MAX_ID), instance.key());
    } catch (RuntimeException e) {
      return "host/20000101~1~tcp~127.0.0.1.18.103";
    }
  }
}
