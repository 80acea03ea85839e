package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;

/**
 * This host's entries on their own, without ZooKeeper: the bounds a store puts under, what
 * listing and sweeping see, and what is left to write. ManyEntriesTest checks the bounds (the
 * names' bytes too) through a store over an ensemble.
 */
class OwnEntriesTest {
  private static final int PROGRAM = 0x20000042;

  @Test
  void anEighthOfThePlacesIsTheSuperusers() {
    OwnEntries own = new OwnEntries(16); // 14 for others, 2 for the superuser
    for (int port = 1; port <= 14; port++) {
      assertTrue(own.put(entry(PROGRAM, port, "1000", Registration.PERMANENT)));
    }
    assertFalse(own.put(entry(PROGRAM, 15, "1000", Registration.PERMANENT)), "others' places taken");
    assertTrue(own.put(entry(PROGRAM, 15, "superuser", Registration.PERMANENT)));
    assertTrue(own.put(entry(PROGRAM, 16, "superuser", Registration.PERMANENT)));
    assertFalse(own.put(entry(PROGRAM, 17, "superuser", Registration.PERMANENT)), "every place taken");
    // Replacing an entry takes no new place, but a superuser's place given to another owner does.
    assertTrue(own.put(entry(PROGRAM, 1, "1000", 5)));
    assertFalse(own.put(entry(PROGRAM, 15, "1000", Registration.PERMANENT)));
    assertTrue(own.remove(entry(PROGRAM, 2, "1000", 0).instance().key()));
    assertTrue(own.put(entry(PROGRAM, 15, "1000", Registration.PERMANENT)), "the place freed");
    assertEquals(15, own.size()); // 14 others, one superuser
  }

  @Test
  void listsTheLiveAndSweepsTheExpiredByProgram() {
    OwnEntries own = new OwnEntries(16);
    Registration lasting = entry(PROGRAM, 1, "superuser", 1_000);
    Registration ending = entry(PROGRAM, 2, "superuser", 10);
    Registration other = entry(PROGRAM + 1, 3, "superuser", 1_000);
    own.put(lasting);
    own.put(ending);
    own.put(other);
    assertEquals(List.of(lasting, ending, other), own.live(5));
    assertEquals(List.of(lasting), own.live(PROGRAM, 100));
    assertEquals(List.of(ending.instance().key()), own.expired(100));
    assertTrue(own.remove(ending.instance().key()));
    assertFalse(own.remove(ending.instance().key()));
    assertEquals(List.of(), own.live(PROGRAM + 2, 0));
    assertTrue(own.contains(other.instance().key()));
    assertFalse(own.contains(ending.instance().key()));
  }

  @Test
  void writesWhatChangedSinceTheLastWriteOrEverything() {
    OwnEntries own = new OwnEntries(16);
    Registration a = entry(PROGRAM, 1, "superuser", Registration.PERMANENT);
    Registration b = entry(PROGRAM, 2, "superuser", Registration.PERMANENT);
    own.put(a);
    own.put(b);
    assertEquals(List.of(a.instance().key(), b.instance().key()), List.copyOf(own.toWrite(false).keySet()));
    assertEquals(Map.of(), own.toWrite(false), "nothing changed since");
    own.remove(a.instance().key());
    Map<ServiceInstance.Key, Registration> removed = own.toWrite(false);
    assertEquals(1, removed.size());
    assertNull(removed.get(a.instance().key()), "a removed entry is written as null");
    assertTrue(removed.containsKey(a.instance().key()));
    assertEquals(Map.of(b.instance().key(), b), own.toWrite(true), "everything there is, after a new session");
  }

  private static Registration entry(int program, int port, String owner, long expiresAtMillis) {
    return new Registration(new ServiceInstance("", program, 1, "tcp",
        "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), owner), expiresAtMillis);
  }
}
