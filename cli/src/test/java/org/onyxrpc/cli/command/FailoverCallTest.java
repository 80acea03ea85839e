package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * {@code onyx call HOST SERVICE.procedure} without a port, when the directory has two instances
 * and the first is gone (killed before it withdrew its entry): the call goes to the next entry,
 * as a DirectoryClient's does, since nothing was sent; never after a call that may have run.
 * Before, every call went to the dead entry (UNAVAILABLE, "nothing listens at …") while the
 * other instance served.
 */
class FailoverCallTest {
  private static final int PROGRAM = 0x20000101;
  private static final String NAME = "org.onyxrpc.examples.calculator.Calculator";
  private static final XdrCodec<long[]> OPERANDS = XdrCodecs.of(
      (out, o) -> {
        out.writeHyper(o[0]);
        out.writeHyper(o[1]);
      },
      in -> {
        in.countObject(2);
        return new long[] {in.readHyper(), in.readHyper()};
      });
  private static final Procedure<long[], Long> ADD =
      new Procedure<>(PROGRAM, 1, 1, "Calculator.add", OPERANDS, XdrCodecs.HYPER);

  /** A calculator at a loopback port; registered by the test, so that its close withdraws nothing. */
  private static RpcServer calculator(AtomicInteger calls, CountDownLatch answer) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1).name(NAME)
            .procedure(ADD, (o, ctx) -> {
              calls.incrementAndGet();
              answer.await();
              return o[0] + o[1];
            }).build())
        .build().start();
  }

  private static void register(DirectoryServer directory, int port) {
    directory.directory().register(new ServiceInstance(NAME, PROGRAM, 1, "tcp",
        UniversalAddress.format(new InetSocketAddress("127.0.0.1", port)), "unknown"), Duration.ofMinutes(1));
  }

  /** The port of the directory's first entry, the one a look-up by address (GETADDR) answers. */
  private static int firstPort(DirectoryServer directory) {
    return directory.directory().address(PROGRAM, 1, Transport.TCP).getPort();
  }

  @Test
  void aCallThatCouldNotBeMadeAtAKilledInstancesEntryGoesToTheNextAndSaysWhichAnswered() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch answer = new CountDownLatch(0);
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer a = calculator(calls, answer);
        RpcServer b = calculator(calls, answer)) {
      register(directory, a.port());
      register(directory, b.port());
      // The directory's first entry is killed: closed without withdrawing it, as a SIGKILL leaves it.
      RpcServer killed = firstPort(directory) == a.port() ? a : b;
      RpcServer live = killed == a ? b : a;
      killed.close();

      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--repeat", "3");
      assertEquals(0, call.exit(), call.toString());
      assertEquals("3\n3\n3\n", call.out().replace("\r", ""), call.toString());
      assertEquals(3, calls.get(), call.toString());
      assertTrue(call.err().contains("onyx: nothing listens at tcp 127.0.0.1:" + killed.port() + " to call"
          + " Calculator.add (program 0x20000101 version 1 procedure 1): Connection refused: the call did not run;"
          + " calling the directory's next entry, 127.0.0.1:" + live.port() + "\n"), call.err());
      assertTrue(call.err().contains("onyx: 127.0.0.1:" + live.port() + " answered\n"), call.err());
    }
  }

  @Test
  void whenEveryEntryIsDeadTheFailureNamesThemAll() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start()) {
      int[] gone = new int[2];
      for (int i = 0; i < 2; i++) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          gone[i] = s.getLocalPort();
        }
        register(directory, gone[i]);
      }
      int first = firstPort(directory);
      int second = first == gone[0] ? gone[1] : gone[0];
      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port());
      assertEquals(4, call.exit(), call.toString());
      assertTrue(call.out().contains("\"UNAVAILABLE\""), call.out());
      assertTrue(call.out().contains("nothing listens at tcp 127.0.0.1:" + second + " to call Calculator.add (program"
          + " 0x20000101 version 1 procedure 1): Connection refused (nor at 127.0.0.1:" + first + ", the directory's"
          + " other entry: the call did not run); the directory at 127.0.0.1:" + directory.port() + " has it registered"),
          call.out());
    }
  }

  /**
   * A directory that lists many entries where nothing listens (a hostile one, or one full of
   * killed servers' entries): onyx tries at most {@link CallCommand#MAX_ENTRIES_TRIED} of them,
   * each after a look-up, and its failure names that many. Before, it tried every entry, asking
   * the directory again after each (40 look-ups of 40 entries here; a directory's answer may list
   * thousands), and the failure named every address tried.
   */
  @Test
  void aDirectoryOfManyDeadEntriesIsTriedABoundedNumberOfTimes() throws Exception {
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start()) {
      List<ServerSocket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        }
      } finally {
        for (ServerSocket s : sockets) {
          s.close(); // nothing listens there now
          register(directory, s.getLocalPort());
        }
      }
      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port());
      assertEquals(4, call.exit(), call.toString());
      long nextEntries = call.err().lines().filter(l -> l.contains("calling the directory's next entry")).count();
      assertEquals(CallCommand.MAX_ENTRIES_TRIED - 1, nextEntries, call.toString());
      assertTrue(call.out().contains("\"UNAVAILABLE\""), call.out());
      assertTrue(call.out().contains("; onyx tried " + CallCommand.MAX_ENTRIES_TRIED + " of the directory's entries,"
          + " as many as one call tries"), call.out());
    }
  }

  /**
   * A call that may have run is not made again elsewhere: the first instance takes it and never
   * answers, the call times out (it may have run), and the other instance gets nothing, even for
   * an at-least-once call (a DirectoryClient would make that one again; onyx's --timeout is the
   * whole call's).
   */
  @Test
  void aCallThatMayHaveRunIsNotMadeAgainAtTheNextEntry() throws Exception {
    AtomicInteger aCalls = new AtomicInteger();
    AtomicInteger bCalls = new AtomicInteger();
    CountDownLatch answer = new CountDownLatch(1);
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer a = calculator(aCalls, answer);
        RpcServer b = calculator(bCalls, answer)) {
      register(directory, a.port());
      register(directory, b.port());
      AtomicInteger other = firstPort(directory) == a.port() ? bCalls : aCalls;
      try {
        CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
            "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--timeout", "3s",
            "--semantics", "at_least_once");
        assertEquals(4, call.exit(), call.toString());
        assertTrue(call.out().contains("\"TIMEOUT\""), call.out());
        assertFalse(call.err().contains("next entry"), call.err());
        assertTrue(aCalls.get() + bCalls.get() > 0, call.toString()); // the first one took it
        assertEquals(0, other.get(), call.toString());
      } finally {
        answer.countDown();
      }
    }
  }
}
