package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.internal.directory.Names;

/**
 * The names program's LIST carries at most {@link Names#MAX_INSTANCES} named entries, the first
 * by program number, and any local process may register that many under low numbers: the rest
 * are then in the DUMP without their names. {@code onyx list} and {@code watch} show those as
 * "?" (name and lease not known) with a line that says why, not as "-", which says the entry has
 * no name: before, a service registered by name after another's 1,024 was listed as if it had
 * none and no lease, an rpcbind SET.
 */
class NamesPastTheListingTest {
  private static final int LATE = 0x30000000;

  @Test
  void entriesPastTheNamesListingAreShownAsNotKnownNotAsUnnamed() throws Exception {
    try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(0).directory(table).build().start()) {
      for (int i = 0; i < Names.MAX_INSTANCES; i++) {
        table.register(new ServiceInstance("flood" + i, 0x20000000 + i, 1, "tcp", "127.0.0.1.0.9", ""),
            Duration.ofMinutes(5));
      }
      table.register(new ServiceInstance("org.example.Late", LATE, 1, "tcp", "127.0.0.1.0.10", ""),
          Duration.ofMinutes(5));
      table.table().set(new ServiceInstance("", LATE + 1, 1, "tcp", "127.0.0.1.0.11", "superuser"));
      String at = "127.0.0.1:" + directory.port();

      CommandRun list = onyx("list", at);
      assertEquals(0, list.exit(), list.err());
      List<String> late = list.out().lines().filter(l -> l.startsWith(Integer.toString(LATE))).toList();
      assertEquals(1, late.size(), list.out());
      assertTrue(late.get(0).endsWith(" ?"), "a name not known shown as none: " + late.get(0));
      assertTrue(list.out().lines().anyMatch(l -> l.startsWith("536870912 ") && l.endsWith(" flood0")),
          "a listed name is shown");
      assertTrue(list.err().contains("1024"), "no word of the names left out: " + list.err());

      CommandRun json = onyx("list", at, "--json");
      assertEquals(0, json.exit(), json.err());
      // Past the listing's last entry (program 0x200003FF) every entry's name is not known: the
      // late two, and the directory's own names program (0x20004F4E); before it, each is known.
      for (com.fasterxml.jackson.databind.JsonNode e : Json.MAPPER.readTree(json.out())) {
        boolean past = e.get("program").asLong() > 0x20000000L + Names.MAX_INSTANCES - 1;
        assertEquals(past, e.has("nameKnown"), e.toString());
        if (past) {
          assertTrue(!e.get("nameKnown").asBoolean() && !e.has("name") && !e.has("leaseLeftMs"), e.toString());
        }
      }

      CommandRun brief = onyx("list", at, "-s");
      assertTrue(brief.out().lines().filter(l -> l.startsWith(Integer.toString(LATE)))
          .allMatch(l -> l.endsWith(" ?")), brief.out());

      CommandRun watch = onyx("watch", at, "--count", "1");
      assertTrue(watch.out().lines().filter(l -> l.contains(" + " + LATE + " "))
          .allMatch(l -> l.endsWith(" ?")), watch.out());
    }
  }
}
