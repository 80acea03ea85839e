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
import org.onyxrpc.testing.BlackHole;
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
    register(directory, "127.0.0.1", port);
  }

  /**
   * An entry at {@code host}: onyx calls the HOST typed at its port, so the address orders the
   * entries (the directory sorts them by it: 127.0.0.1's before 127.0.0.2's) and calls none there.
   */
  private static void register(DirectoryServer directory, String host, int port) {
    directory.directory().register(new ServiceInstance(NAME, PROGRAM, 1, "tcp",
        UniversalAddress.format(new InetSocketAddress(host, port)), "unknown"), Duration.ofMinutes(1));
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

  /**
   * The directory's first entry is a server that refuses the program PROG_UNAVAIL (as one shutting
   * down refuses every call: nothing ran): the call goes to the next entry. Before, onyx told the
   * refusal and stopped, where a DirectoryClient tries the next instance.
   */
  @Test
  void aCallRefusedProgUnavailGoesToTheNextEntry() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer other = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP)
            .directory(Directory.none())
            .addService(ServiceDefinition.builder(PROGRAM + 1, 1).procedure(
                new Procedure<>(PROGRAM + 1, 1, 1, "Other.add", OPERANDS, XdrCodecs.HYPER), (o, ctx) -> 0L).build())
            .build().start();
        RpcServer live = calculator(calls, new CountDownLatch(0))) {
      register(directory, "127.0.0.1", other.port());
      register(directory, "127.0.0.2", live.port());
      assertEquals(other.port(), firstPort(directory));
      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--semantics", "at_most_once");
      assertEquals(0, call.exit(), call.toString());
      assertEquals("3\n", call.out().replace("\r", ""), call.toString());
      assertEquals(1, calls.get(), call.toString());
      assertTrue(call.err().contains(": the call did not run; calling the directory's next entry, 127.0.0.1:"
          + live.port() + "\n"), call.err());
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
   * An at-most-once call that may have run is not made again elsewhere: the first instance takes
   * it and never answers, the call times out (it may have run), and the other instance gets
   * nothing.
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
            "--semantics", "at_most_once");
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

  /**
   * The directory's first entry never answers a connect (a black hole): the call goes to the next
   * entry once that entry's connection bound (--connect-timeout, 3 s by default) has passed, and is
   * answered there within --timeout, which is the whole call's. Before, the connect was bounded
   * by --timeout itself, which it took whole, and the call failed without trying the next entry.
   */
  @Test
  void anEntryThatNeverAnswersAConnectCostsItsConnectBoundNotTheWholeTimeout() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        BlackHole hole = new BlackHole();
        RpcServer live = calculator(calls, new CountDownLatch(0))) {
      register(directory, "127.0.0.1", hole.port());
      register(directory, "127.0.0.2", live.port());
      assertEquals(hole.port(), firstPort(directory));
      CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
          "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--timeout", "20s",
          "--semantics", "at_most_once");
      assertEquals(0, call.exit(), call.toString());
      assertEquals("3\n", call.out().replace("\r", ""), call.toString());
      assertEquals(1, calls.get(), call.toString());
      assertTrue(call.err().contains("127.0.0.1:" + hole.port() + " to call Calculator.add (program 0x20000101"
          + " version 1 procedure 1)"), call.err());
      assertTrue(call.err().contains(": the call did not run; calling the directory's next entry, 127.0.0.1:"
          + live.port() + "\n"), call.err());
      assertTrue(call.err().contains("onyx: 127.0.0.1:" + live.port() + " answered\n"), call.err());
    }
  }

  /**
   * An at-least-once call (add is @idempotent) that times out at the first entry, which took it
   * and never answers, may have run there, and running it again is harmless: it is made at the
   * next entry, as a DirectoryClient makes it, within the same --timeout (shared among the entries
   * left). Before, it was told TIMEOUT and the other instance got nothing.
   */
  @Test
  void anAtLeastOnceCallThatTimedOutIsMadeAtTheNextEntry() throws Exception {
    AtomicInteger hungCalls = new AtomicInteger();
    AtomicInteger liveCalls = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer hung = calculator(hungCalls, never);
        RpcServer live = calculator(liveCalls, new CountDownLatch(0))) {
      register(directory, "127.0.0.1", hung.port());
      register(directory, "127.0.0.2", live.port());
      assertEquals(hung.port(), firstPort(directory));
      try {
        CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
            "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--timeout", "6s");
        assertEquals(0, call.exit(), call.toString());
        assertEquals("3\n", call.out().replace("\r", ""), call.toString());
        assertTrue(hungCalls.get() >= 1, call.toString()); // sent again within its share, at-least-once
        assertEquals(1, liveCalls.get(), call.toString());
        assertTrue(call.err().contains(": it may have run there, and is at-least-once; calling the directory's"
            + " next entry, 127.0.0.1:" + live.port() + "\n"), call.err());
        assertTrue(call.err().contains("onyx: 127.0.0.1:" + live.port() + " answered\n"), call.err());
      } finally {
        never.countDown();
      }
    }
  }

  /**
   * An at-least-once call that timed out at the first entry (it may have run there) and could not
   * be made at the second (nothing listens) is told TIMEOUT, as at the first, never UNAVAILABLE:
   * a call that may have run is never said not to have.
   */
  @Test
  void anAtLeastOnceCallThatMayHaveRunIsNeverToldUnavailable() throws Exception {
    AtomicInteger hungCalls = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    int gone;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      gone = s.getLocalPort();
    }
    try (DirectoryServer directory = DirectoryServer.builder().port(0)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RpcServer hung = calculator(hungCalls, never)) {
      register(directory, "127.0.0.1", hung.port());
      register(directory, "127.0.0.2", gone);
      assertEquals(hung.port(), firstPort(directory));
      try {
        CommandRun call = onyx("call", "127.0.0.1", "Calculator.add", "--idl", "src/test/idl/calculator.idl",
            "-d", "{\"a\": 1, \"b\": 2}", "--rpcbind-port", "" + directory.port(), "--timeout", "4s");
        assertEquals(4, call.exit(), call.toString());
        assertTrue(call.out().contains("\"TIMEOUT\""), call.out());
        assertTrue(call.out().contains(": it may have run there (then at 127.0.0.1:" + gone + ": nothing listens at"
            + " tcp 127.0.0.1:" + gone), call.out());
        assertTrue(call.out().contains(": the call did not run there)"), call.out());
      } finally {
        never.countDown();
      }
    }
  }
}
