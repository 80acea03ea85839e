package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;

/**
 * {@code onyx call HOST SERVICE.procedure} without a port calls where HOST's directory says; when
 * nothing listens there (a server killed, its entry listed until its lease runs out), the message
 * says the address came from the directory and how to see its entries. Before, it said only
 * "nothing listens at tcp 127.0.0.1:PORT …: Connection refused", a port the operator never gave
 * (seen with two calculators under one name, one killed by SIGKILL: every call went to its entry).
 */
class StaleEntryCallTest {
  @Test
  void aCallWhereTheDirectoryPointsAtNothingNamesTheDirectorysEntry() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start()) {
      int gone = registerWhereNothingListens(directory);
      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port());
      assertEquals(4, call.exit(), call.out() + call.err());
      assertTrue(call.out().contains("\"UNAVAILABLE\""), call.out());
      assertTrue(call.out().contains("127.0.0.1:" + gone + " to call Calculator.add"), call.out());
      assertTrue(call.out().contains("; the directory at 127.0.0.1:" + directory.port() + " has it registered"
          + " there: an entry a server left when it stopped without withdrawing it is listed until its lease"
          + " runs out (onyx list 127.0.0.1:" + directory.port() + " shows the entries and their leases)"),
          call.out());
    }
  }

  /**
   * The same for onyx ping by name, at the directory's port or the host's: before, "program
   * 0x20000101 version 1 is not available (tcp 127.0.0.1:PORT): UNAVAILABLE: nothing listens at
   * ...", with nothing of the directory (seen pinging a calculator killed with SIGKILL by name
   * while its entry was listed).
   */
  @Test
  void aPingByNameWhereTheDirectoryPointsAtNothingNamesTheDirectorysEntry() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start()) {
      int gone = registerWhereNothingListens(directory);
      String at = "127.0.0.1:" + directory.port();
      String note = "; the directory at " + at + " has it registered there: an entry a server left when it stopped"
          + " without withdrawing it is listed until its lease runs out (onyx list " + at + " shows the entries"
          + " and their leases)\n";
      for (CommandRun ping : new CommandRun[] {
          onyx("ping", at, "org.onyxrpc.examples.calculator.Calculator"),
          onyx("ping", "127.0.0.1", "Calculator", "--rpcbind-port", "" + directory.port()),
          onyx("ping", "127.0.0.1", "0x20000101", "--rpcbind-port", "" + directory.port())}) {
        assertEquals(4, ping.exit(), ping.out() + ping.err());
        assertTrue(ping.out().startsWith("program 0x20000101 version 1 is not available (tcp 127.0.0.1:" + gone
            + "): UNAVAILABLE: nothing listens at tcp 127.0.0.1:" + gone), ping.out());
        assertTrue(ping.out().endsWith(note), ping.out());
      }
    }
  }

  /**
   * Registers the calculator in {@code directory} at a port where nothing listens any more;
   * returns the port.
   */
  private static int registerWhereNothingListens(DirectoryServer directory) throws Exception {
    int gone;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      gone = s.getLocalPort();
    }
    directory.directory().register(new ServiceInstance("org.onyxrpc.examples.calculator.Calculator",
        0x20000101, 1, "tcp", UniversalAddress.format(new InetSocketAddress("127.0.0.1", gone)), "unknown"),
        Duration.ofMinutes(1));
    return gone;
  }
}
