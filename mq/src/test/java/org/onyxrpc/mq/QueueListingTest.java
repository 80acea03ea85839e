package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.ListRequest;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.QueueList;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.ProcedureHandler;
import org.onyxrpc.server.RpcServer;

/**
 * Listing a server's queues ({@link MessageQueues#list}), as {@code ls /dev/mqueue} lists Linux's:
 * every name to anyone, a page at a time, and a server whose pages would never end refused.
 */
class QueueListingTest {
  private static QueueFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = new QueueFixture(QueueServer.builder().maxQueues(400).maxQueuesPerClient(400).build());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void namesEveryQueueInOrderOverSeveralPagesToAnyone() {
    RpcClient owner = fixture.client(1001, 100);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < MqConstants.MQ_LIST_MAX * 2 + 3; i++) { // three pages
      String name = String.format("/many.%03d", i);
      MessageQueues.open(owner, name, OpenOptions.create(0600, QueueAttributes.of(1, 8))).close();
      created.add(name);
    }
    try {
      RpcClient stranger = fixture.client(Credentials.NONE);
      List<String> listed = MessageQueues.list(stranger);
      assertEquals(created, listed.stream().filter(n -> n.startsWith("/many.")).toList());
      assertEquals(listed.stream().sorted().toList(), listed);
      // The name is everyone's to see; the numbers are not.
      assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.stats(stranger, "/many.000")));
    } finally {
      for (String name : created) {
        MessageQueues.unlink(owner, name);
      }
    }
  }

  @Test
  void anUnlinkedQueueStillOpenIsNotNamed() {
    RpcClient owner = fixture.client(1001, 100);
    try (MessageQueue open = MessageQueues.open(owner, "/going",
        OpenOptions.create(0600, QueueAttributes.of(1, 8)))) {
      assertTrue(MessageQueues.list(owner).contains("/going"));
      MessageQueues.unlink(owner, "/going");
      assertTrue(!MessageQueues.list(owner).contains("/going"));
      assertEquals(0, open.attributes().currentMessages()); // the queue itself lives on
    }
  }

  @Test
  void aPageOutsideOneToTheMaximumIsRefused() throws Exception {
    RpcClient rpc = fixture.client(1001, 100);
    for (int max : new int[] {0, -1, MqConstants.MQ_LIST_MAX + 1}) {
      Reply<QueueList> reply = rpc.call(MessageQueueServiceV1.LIST, new ListRequest("", max));
      assertEquals(MqError.EINVAL,
          ((MessageQueueException) Replies.translate(reply.exception())).error(), "max " + max);
    }
  }

  @Test
  void aServerWhosePagesNeverEndFailsTheListingWithEio() throws IOException {
    // Always "more", each page a full one of names past the cursor: a listing without end.
    AtomicInteger pages = new AtomicInteger();
    RpcServer endless = scripted((request, ctx) -> {
      int page = pages.getAndIncrement();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < MqConstants.MQ_LIST_MAX; i++) {
        names.add(String.format("/q%08d", page * MqConstants.MQ_LIST_MAX + i));
      }
      return new Reply<>(new QueueList(names, true), null);
    });
    // A page that goes back, and "more" with no name: each would page on for ever too.
    RpcServer backwards = scripted((request, ctx) ->
        new Reply<>(new QueueList(List.of("/a"), true), null));
    RpcServer empty = scripted((request, ctx) -> new Reply<>(new QueueList(List.of(), true), null));
    try (endless; backwards; empty;
        RpcClient toEndless = client(endless);
        RpcClient toBackwards = client(backwards);
        RpcClient toEmpty = client(empty)) {
      assertEquals(MqError.EIO, errorOf(() -> MessageQueues.list(toEndless)));
      // Pages up to the limit are taken; the one past it ends the listing.
      assertEquals(MessageQueues.MAX_LISTED / MqConstants.MQ_LIST_MAX + 1, pages.get());
      assertEquals(MqError.EIO, errorOf(() -> MessageQueues.list(toBackwards)));
      assertEquals(MqError.EIO, errorOf(() -> MessageQueues.list(toEmpty)));
    }
  }

  private static RpcServer scripted(
      ProcedureHandler<ListRequest, Reply<QueueList>> list) throws IOException {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(ScriptedQueueServices.oneQueue().procedure(MessageQueueServiceV1.LIST, list)
            .build())
        .build().start();
  }

  private static RpcClient client(RpcServer server) {
    return RpcClient.builder().address("127.0.0.1", server.port()).build();
  }
}
