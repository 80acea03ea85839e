package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * An interceptor that answers a call itself ({@link ServerCall#answer}), in place of the
 * procedure: a cache, a maintenance mode. Before, it could only refuse the call (or fail it by not
 * running the procedure in {@code around}); these tests did not compile. In both TCP I/O modes.
 */
class AnsweringInterceptorTest {
  /** Records what each hook saw, under its name. */
  private static class Recorder implements ServerInterceptor {
    final String name;
    final List<String> seen;

    Recorder(String name, List<String> seen) {
      this.name = name;
      this.seen = seen;
    }

    @Override
    public void onStart(ServerCall call) {
      seen.add(name + " start");
    }

    @Override
    public void around(ServerCall call, Runnable procedure) {
      seen.add(name + " around");
      procedure.run();
    }

    @Override
    public void onClose(ServerCall call) {
      seen.add(name + " close " + call.status() + " " + call.result() + " answered " + call.answered());
    }
  }

  private static ServiceDefinition counting(AtomicInteger ran) {
    return ServiceDefinition.builder(TestService.PROGRAM, 1)
        .procedure(TestService.ADD, (p, ctx) -> {
          ran.incrementAndGet();
          return p.a() + p.b();
        })
        .oneway(TestService.LOG, (line, ctx) -> {
          ran.incrementAndGet();
          return null;
        })
        .build();
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void anAnswerReplacesTheProcedureAndLaterInterceptorsNeverSeeTheCall(TcpIo io) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    ServerInterceptor maintenance = new Recorder("answering", seen) {
      @Override
      public void onStart(ServerCall call) {
        super.onStart(call);
        call.answer(TestService.ADD, -1);
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).tcpIo(io).addService(counting(ran))
            .intercept(new Recorder("outer", seen), maintenance, new Recorder("inner", seen))
            .build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      assertEquals(-1, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(0, ran.get(), "the procedure did not run");
      // onClose runs before the reply is sent: all is recorded once the caller has the answer.
      assertEquals(List.of("outer start", "answering start",
          "answering close SUCCESS -1 answered true", "outer close SUCCESS -1 answered true"), seen);
      Await.until(() -> server.callsInFlight() == 0); // ended once its reply went out
      assertEquals(0, server.decodedBytesInFlight());
    }
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void anAnswerOfTheWrongTypeFailsTheCallAsAProceduresWould(TcpIo io) throws Exception {
    LinkedBlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    ServerInterceptor wrong = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        call.answer("not an int"); // untyped: only the encoding can tell
      }

      @Override
      public void onClose(ServerCall call) {
        failures.add(call.failure());
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).tcpIo(io)
            .addService(counting(new AtomicInteger())).intercept(wrong).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
      assertInstanceOf(ClassCastException.class, failures.poll(60, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void answerIsRefusedOutsideOnStartAndForAnotherProcedure(TcpIo io) throws Exception {
    LinkedBlockingQueue<Throwable> refused = new LinkedBlockingQueue<>();
    ServerInterceptor misuse = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        refused.add(assertThrows(IllegalArgumentException.class,
            () -> call.answer(TestService.ECHO, "x")));
      }

      @Override
      public void around(ServerCall call, Runnable procedure) {
        refused.add(assertThrows(IllegalStateException.class, () -> call.answer(7)));
        procedure.run();
      }

      @Override
      public void onClose(ServerCall call) {
        refused.add(assertThrows(IllegalStateException.class, () -> call.answer(7)));
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).tcpIo(io)
            .addService(counting(new AtomicInteger())).intercept(misuse).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals("the call is Test.add (program 0x20000101 version 1 procedure 1), not"
          + " Test.echo (program 0x20000101 version 1 procedure 2)", refused.take().getMessage());
      assertEquals("a call is answered from an interceptor's onStart only: Test.add (program"
          + " 0x20000101 version 1 procedure 1)", refused.take().getMessage());
      assertInstanceOf(IllegalStateException.class, refused.take());
    }
  }

  /**
   * At-most-once keeps the answer as it keeps a result: a retransmission is replayed, and no
   * interceptor sees it. Over UDP, where an untagged (C) client's calls are keyed by address and
   * xid, in both UDP I/O modes.
   */
  @ParameterizedTest
  @EnumSource(UdpIo.class)
  void theDuplicateRequestCacheReplaysAnAnswer(UdpIo io) throws Exception {
    AtomicInteger started = new AtomicInteger();
    ServerInterceptor cache = call -> {
      started.incrementAndGet();
      call.answer(TestService.ADD, 40 + started.get());
    };
    try (RpcServer server = RpcServer.builder().port(0).udpIo(io)
            .addService(counting(new AtomicInteger()))
            .duplicateRequestCache(16, 1 << 16, Duration.ofMinutes(1)).intercept(cache)
            .build().start();
        DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      peer.setSoTimeout(60_000);
      byte[] call = RawTcpPeer.call(0x5eed, 2, TestService.PROGRAM, 1, TestService.ADD.number(),
          OpaqueAuth.NONE, ByteBuffer.allocate(8).putInt(1).putInt(2).array());
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
      peer.send(new DatagramPacket(call, call.length, to));
      assertEquals(41, lastInt(receive(peer)));
      peer.send(new DatagramPacket(call, call.length, to)); // the same xid again: a retransmission
      assertEquals(41, lastInt(receive(peer)), "replayed, not answered again");
      assertEquals(1, started.get());
    }
  }

  private static byte[] receive(DatagramSocket peer) throws java.io.IOException {
    DatagramPacket packet = new DatagramPacket(new byte[1024], 1024);
    peer.receive(packet);
    return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
  }

  /** A one-way call answered is skipped: its procedure does not run, and nothing is sent. */
  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void answeringAOneWayCallSkipsIt(TcpIo io) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    LinkedBlockingQueue<String> closed = new LinkedBlockingQueue<>();
    ServerInterceptor skipping = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {
        if (call.oneWay()) {
          call.answer(null);
        }
      }

      @Override
      public void onClose(ServerCall call) {
        closed.add(call.procedure().name() + " " + call.status() + " answered " + call.answered());
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).tcpIo(io).addService(counting(ran))
            .intercept(skipping).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      client.send(TestService.LOG, "skipped");
      assertEquals("Test.log SUCCESS answered true", closed.poll(60, TimeUnit.SECONDS));
      // Over the same connection, after it: had the skipped call replied, this reply's xid would
      // have met that reply first.
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals("Test.add SUCCESS answered false", closed.poll(60, TimeUnit.SECONDS));
      assertEquals(1, ran.get(), "only add ran");
      assertTrue(closed.isEmpty());
    }
  }

  private static int lastInt(byte[] reply) {
    return ByteBuffer.wrap(reply, reply.length - 4, 4).getInt();
  }
}
