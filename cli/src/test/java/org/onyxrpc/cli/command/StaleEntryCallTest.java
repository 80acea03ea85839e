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
      int gone;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        gone = s.getLocalPort();
      }
      directory.directory().register(new ServiceInstance("org.onyxrpc.examples.calculator.Calculator",
          0x20000101, 1, "tcp", UniversalAddress.format(new InetSocketAddress("127.0.0.1", gone)), "unknown"),
          Duration.ofMinutes(1));
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
}
