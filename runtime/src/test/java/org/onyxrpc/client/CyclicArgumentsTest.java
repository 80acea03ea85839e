package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Arguments too deep for the encoding thread's stack (a Java object graph that holds itself: a
 * node in its own list of children) fail their call at once, "not sent", as arguments whose codec
 * throws do, and take nothing else down. Before, the event-loop client's StackOverflowError
 * escaped the call's task: Netty logged it with a 1,024-line trace, the call waited out its
 * deadline (TIMEOUT, as if it may have run), an async one likewise, and the part of the call
 * written before the overflow stayed in the connection's batch: the server read it as a record
 * of some 1.9 GB and closed the connection, failing the other calls on it.
 */
@ExtendWith(LeakDetection.class)
class CyclicArgumentsTest {
  /** A node and its children, in a list it may be in itself. */
  static final class Node {
    final List<Node> kids = new ArrayList<>();
    static final XdrCodec<Node> CODEC = XdrCodecs.of((out, n) -> {
      out.writeInt(n.kids.size());
      for (Node k : n.kids) {
        Node.CODEC.encode(out, k);
      }
    }, in -> {
      Node n = new Node();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        n.kids.add(in.readNested(Node.CODEC));
      }
      return n;
    });

    static Node cyclic() {
      Node n = new Node();
      n.kids.add(n);
      return n;
    }
  }

  private static final int PROGRAM = 0x20000614;
  private static final Procedure<Node, Integer> TAKE =
      new Procedure<>(PROGRAM, 1, 1, "Cyclic.take", Node.CODEC, XdrCodecs.INT);
  private static final Procedure<Integer, Integer> WAIT =
      new Procedure<>(PROGRAM, 1, 2, "Cyclic.wait", XdrCodecs.INT, XdrCodecs.INT);

  @Test
  void aCyclicArgumentFailsItsCallNotSentAndNoOtherCall() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RpcServer server = TestTransport.server().addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(TAKE, (n, ctx) -> n.kids.size())
            .procedure(WAIT, (n, ctx) -> {
              started.countDown();
              release.await();
              return n;
            })
            .build()).build().start();
        // A deadline far beyond the test's: a call left to it shows as TIMEOUT.
        RpcClient client = TestTransport.client(server).timeout(Duration.ofSeconds(60)).build()) {
      CompletableFuture<Integer> waiting = client.callAsync(WAIT, 5).toCompletableFuture();
      started.await(); // in flight on the connection the next calls go out on

      RpcException sync = assertThrows(RpcException.class, () -> client.call(TAKE, Node.cyclic()));
      assertEquals(RpcStatus.INTERNAL, sync.status(), sync::toString);
      assertTrue(sync.getMessage().contains("not sent"), sync::getMessage);
      assertTrue(sync.getMessage().contains("too deeply nested to encode"), sync::getMessage);
      ExecutionException async = assertThrows(ExecutionException.class,
          () -> client.callAsync(TAKE, Node.cyclic()).toCompletableFuture().get());
      RpcException cause = assertInstanceOf(RpcException.class, async.getCause());
      assertEquals(RpcStatus.INTERNAL, cause.status(), cause::toString);

      release.countDown();
      assertEquals(5, waiting.get());
      Node fine = new Node();
      fine.kids.add(new Node());
      assertEquals(1, client.call(TAKE, fine));
      assertEquals(1, client.stats().connects(), "one connection served every call");
    }
  }
}
