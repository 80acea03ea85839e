package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpcbind.LocalAddresses;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.testing.FakeClock;

/** Who may change the directory, and the table's limits. */
class RulesTest {
  @Test
  void onlyThisMachineIsLocal() throws Exception {
    assertTrue(LocalAddresses.isLocal(InetAddress.getByName("127.0.0.1")));
    assertTrue(LocalAddresses.isLocal(InetAddress.getByName("::1")));
    assertTrue(LocalAddresses.isLocal(InetAddress.getByName("::ffff:127.0.0.1")));
    assertFalse(LocalAddresses.isLocal(InetAddress.getByName("192.0.2.1"))); // TEST-NET-1, never ours
    assertFalse(LocalAddresses.isLocal(InetAddress.getByName("2001:db8::1")));
  }

  @Test
  void setIsRpcbindsAndLeasesAreClamped() {
    DirectoryTable table = new DirectoryTable(new InMemoryDirectoryStore(3), System::currentTimeMillis);
    ServiceInstance a = new ServiceInstance("", 7, 1, "tcp", "127.0.0.1.0.7", "1000");
    assertTrue(table.set(a));
    assertFalse(table.set(a.withAddress("127.0.0.1.0.8")), "one address per program, version and netid");
    assertTrue(table.set(new ServiceInstance("", 7, 1, "tcp", "127.0.0.1.0.7", "1001")),
        "the same address again is already done, as rpcbind says");
    assertEquals("1000", table.find(7, 1, "tcp", true).orElseThrow().owner(), "and changes nothing");
    assertFalse(table.unset(7, 1, "tcp", "1001"), "another owner's mapping is left in place");
    assertTrue(table.unset(7, 1, "", "1000"));
    assertTrue(table.unset(7, 1, "", "1001"), "none left: done, as rpcbind's map_unset answers");
    ServiceInstance named = new ServiceInstance("n", 8, 1, "tcp", "127.0.0.1.0.9", "1000");
    assertEquals(DirectoryTable.MAX_LEASE, table.register(named, Duration.ofDays(7)));
    assertEquals(DirectoryTable.MIN_LEASE, table.register(named, Duration.ZERO));
    assertEquals(null, table.register(new ServiceInstance("n", 8, 1, "tcp", "127.0.0.1.0.9", "1001"),
        Duration.ofSeconds(1)), "another owner's entry is not taken over");
  }

  /**
   * A name and program version, and a program version under any name, held on this host by an
   * owner the kernel vouched for takes no instance of another owner while that owner's entries
   * live. Before, any local process could add its own address to another user's name and take a
   * share of its calls, and, under a name of its own, to another user's program version.
   */
  @Test
  void aNameHeldByAVouchedOwnerTakesNoOtherOwnersInstance() {
    FakeClock clock = new FakeClock();
    DirectoryTable table = new DirectoryTable(new InMemoryDirectoryStore(), clock::millis);
    Duration lease = Duration.ofSeconds(30);
    assertEquals(lease, table.register(named("pay", 9, 1, 1, "1000"), lease));
    assertEquals(lease, table.register(named("pay", 9, 1, 2, "1000"), lease), "its owner adds instances");
    assertNull(table.register(named("pay", 9, 1, 3, "1001"), lease), "another uid squats");
    assertNull(table.register(named("pay", 9, 1, 3, Owners.UNKNOWN), lease), "an unproven caller squats");
    assertEquals(lease, table.register(named("pay", 9, 2, 3, "1001"), lease), "another version is another service");
    assertNull(table.register(named("other", 9, 1, 3, "1001"), lease),
        "nor under another name: a look-up of program 9 by number could answer with it");
    assertEquals(lease, table.register(named("other", 11, 1, 3, "1001"), lease), "another program");
    assertNull(table.register(named("pay", 8, 1, 3, "1001"), lease),
        "nor its name under another program: a look-up of the name lists program 8 first");
    assertEquals(lease, table.register(named("pay", 9, 1, 4, Owners.SUPERUSER), lease), "the superuser may");
    assertEquals(3, table.named("pay").stream().filter(i -> i.version() == 1).count());

    assertEquals(lease, table.register(named("open", 10, 1, 1, Owners.UNKNOWN), lease));
    assertEquals(lease, table.register(named("open", 10, 1, 2, Owners.UNKNOWN), lease),
        "an owner only claimed holds nothing against another: neither can be told apart");
    assertEquals(lease, table.register(named("open", 10, 1, 3, "1001"), lease));

    clock.advance(lease.plusSeconds(1)); // its owner's leases end: the name is free
    assertEquals(lease, table.register(named("pay", 9, 1, 3, "1001"), lease));
  }

  /**
   * A program version held by an owner the kernel vouched for is not joined through SET on
   * another netid either (through it, another uid would then hold the version too, and its
   * registrations under a name of its own would pass); and an owner renews its own entries
   * whoever else holds the version (the superuser may add one): before, a renewal met the other
   * owner's entry as a squat and was refused, and the lease ran out.
   */
  @Test
  void aVouchedProgramVersionIsNotJoinedOnAnotherNetidAndItsOwnerRenewsBesideTheSuperuser() {
    FakeClock clock = new FakeClock();
    DirectoryTable table = new DirectoryTable(new InMemoryDirectoryStore(), clock::millis);
    Duration lease = Duration.ofSeconds(30);
    ServiceInstance mine = named("svc", 12, 1, 1, "1000");
    assertEquals(lease, table.register(mine, lease));
    assertFalse(table.set(new ServiceInstance("", 12, 1, "udp", "127.0.0.1.0.3", "1001")),
        "another uid's SET of the version on a netid the owner has not");
    assertFalse(table.set(new ServiceInstance("", 12, 1, "tcp6", "::1.0.3", Owners.UNKNOWN)));
    assertTrue(table.set(new ServiceInstance("", 12, 2, "udp", "127.0.0.1.0.3", "1001")), "another version");
    assertTrue(table.set(new ServiceInstance("", 12, 1, "udp", "127.0.0.1.0.4", "1000")), "its owner's");

    assertEquals(lease, table.register(named("root", 12, 1, 2, Owners.SUPERUSER), lease), "the superuser may");
    assertEquals(lease, table.register(mine, lease), "its owner renews beside it");
    assertNull(table.register(named("svc", 12, 1, 5, "1000"), lease),
        "but adds no instance to a version another owner holds too");
  }

  /**
   * Renewals at a rate no honest owner needs (a server renews every third of its lease) move
   * the lease's end in the store at most once per tenth of the lease: a local process that sent
   * REGISTER of its entry without pause had the store write each one, which over ZooKeeper is a
   * quorum write of the ensemble every host shares, as fast as the ensemble answered. The lease
   * then answered is what the entry has left, never more; an honest renewal is written.
   */
  @Test
  void renewalsFasterThanATenthOfTheLeaseAreNotWrittenEachTime() {
    FakeClock clock = new FakeClock();
    int[] puts = {0};
    InMemoryDirectoryStore memory = new InMemoryDirectoryStore();
    DirectoryStore counting = new DirectoryStore() {
      @Override
      public boolean put(Registration registration) {
        puts[0]++;
        return memory.put(registration);
      }

      @Override
      public boolean remove(ServiceInstance.Key key) {
        return memory.remove(key);
      }

      @Override
      public java.util.List<Registration> list(long nowMillis) {
        return memory.list(nowMillis);
      }

      @Override
      public int removeExpired(long nowMillis) {
        return memory.removeExpired(nowMillis);
      }
    };
    DirectoryTable table = new DirectoryTable(counting, clock::millis);
    Duration lease = Duration.ofSeconds(30);
    ServiceInstance mine = named("svc", 12, 1, 1, "1000");
    assertEquals(lease, table.register(mine, lease));
    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMillis(2));
      Duration granted = table.register(mine, lease);
      assertEquals(lease.minusMillis(2L * (i + 1)), granted, "the lease the entry has left, at " + i);
    }
    assertEquals(1, puts[0], "renewals written");
    clock.advance(Duration.ofSeconds(1)); // 3 s since the lease began: a tenth of it
    assertEquals(lease, table.register(mine, lease));
    assertEquals(2, puts[0]);
    clock.advance(lease.dividedBy(3)); // an honest renewal
    assertEquals(lease, table.register(mine, lease));
    assertEquals(3, puts[0]);
    assertEquals(Duration.ofSeconds(5), table.register(mine, Duration.ofSeconds(5)),
        "a shorter lease asked is granted");
    assertEquals(4, puts[0]);
  }

  private static ServiceInstance named(String name, int program, int version, int port, String owner) {
    return new ServiceInstance(name, program, version, "tcp", "127.0.0.1.0." + port, owner);
  }

  @Test
  void aFullStoreRefusesNewEntries() {
    InMemoryDirectoryStore store = new InMemoryDirectoryStore(2);
    long later = System.currentTimeMillis() + 60_000;
    assertTrue(store.put(new Registration(new ServiceInstance("", 1, 1, "tcp", "127.0.0.1.0.1", ""), later)));
    assertTrue(store.put(new Registration(new ServiceInstance("", 2, 1, "tcp", "127.0.0.1.0.2", ""), 1)));
    assertTrue(store.put(new Registration(new ServiceInstance("", 3, 1, "tcp", "127.0.0.1.0.3", ""), later)),
        "an expired entry makes room");
    assertFalse(store.put(new Registration(new ServiceInstance("", 4, 1, "tcp", "127.0.0.1.0.4", ""), later)));
    assertThrows(IllegalArgumentException.class, () -> new InMemoryDirectoryStore(0));
  }
}
