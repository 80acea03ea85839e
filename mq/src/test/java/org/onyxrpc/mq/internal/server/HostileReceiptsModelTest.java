package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * A hostile client's receipts against the host, at random from fixed seeds: receipts used again
 * (a receive and a send under one receipt, a receive sent twice, a commit or release of another
 * call's receipt), connections closed under waiting calls and reservations, handles closed,
 * notifications registered and cancelled, on a queue of three messages that fills. Every message
 * whose send was accepted is taken exactly once, by a commit during the run or from the queue
 * once every handle and connection has closed: none lost, none taken twice. With the superseding
 * of a second receive under one receipt removed ({@code HostedQueue.receive}), a seed among the
 * first 30 loses a message (25 and 50 in two runs: the handles' numbers, random, order a closing
 * handle's reservations). Waits are 0 or without end and leases a minute: no timer decides a step.
 */
class HostileReceiptsModelTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private static final String NAME = "/model";

  @Test
  void everyAcceptedMessageIsTakenExactlyOnceWhateverTheReceipts() throws Exception {
    for (int seed = 0; seed < 300; seed++) {
      run(seed);
    }
  }

  private static <T> T await(CompletableFuture<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static long open(QueueHost host, boolean create) throws Exception {
    return await(host.open(CALLER, new OpenRequest(NAME, Access.READ_WRITE, create, false, 0600, 3, 8, false)))
        .handle();
  }

  private static int id(byte[] payload) {
    return ByteBuffer.wrap(payload).getInt();
  }

  private static void run(long seed) throws Exception {
    Random random = new Random(seed);
    QueueHost host = new QueueHost(TestHostConfigs.inMemory());
    try {
      List<Long> handles = new ArrayList<>(List.of(open(host, true), open(host, false), open(host, false)));
      FakePeer[] peers = {new FakePeer(), new FakePeer(), new FakePeer()};
      List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
      // The message last handed to each receipt: what its reservation holds, as the owner thread
      // completes a receive in the same step as it reserves.
      Map<Receipt, Integer> handed = Collections.synchronizedMap(new HashMap<>());
      List<Integer> taken = new ArrayList<>();
      List<String> steps = new ArrayList<>();
      int next = 0;
      for (int step = 0; step < 200; step++) {
        long handle = handles.get(random.nextInt(handles.size()));
        Receipt receipt = new Receipt(handle, 1 + random.nextInt(4));
        int peer = random.nextInt(peers.length);
        long timeout = random.nextBoolean() ? 0 : -1;
        switch (random.nextInt(11)) {
          case 0, 1 -> {
            int id = next++;
            steps.add("send " + id + " " + receipt + " " + timeout + " peer " + peer);
            host.send(CALLER, new SendRequest(receipt, random.nextInt(3), ByteBuffer.allocate(4).putInt(id).array(),
                timeout), peers[peer]).thenRun(() -> accepted.add(id));
          }
          case 2, 3 -> {
            steps.add("receive " + receipt + " " + timeout + " peer " + peer);
            host.receive(CALLER, receipt, timeout, peers[peer])
                .thenAccept(m -> handed.put(receipt, id(m.message())));
          }
          case 4, 5 -> {
            steps.add("commit " + receipt);
            try {
              await(host.commit(CALLER, receipt));
              taken.add(handed.get(receipt));
            } catch (ExecutionException nothingReserved) {
              // ETIMEDOUT: nothing reserved for it
            }
          }
          case 6 -> {
            steps.add("release " + receipt);
            host.release(CALLER, receipt);
          }
          case 7 -> {
            steps.add("close peer " + peer);
            FakePeer closed = peers[peer];
            peers[peer] = new FakePeer();
            closed.close();
          }
          case 8 -> {
            steps.add("close handle " + handle);
            host.close(CALLER, handle);
            handles.remove(handle);
            handles.add(open(host, false));
          }
          case 9 -> {
            steps.add("notify " + receipt);
            host.notifyOnArrival(CALLER, receipt, peers[peer]);
          }
          case 10 -> {
            steps.add("cancel notify " + receipt);
            host.cancelNotify(CALLER, receipt);
          }
          default -> throw new AssertionError();
        }
        await(host.status(CALLER, NAME)); // one owner thread: everything submitted before has run
      }
      for (long handle : handles) {
        await(host.close(CALLER, handle));
      }
      for (FakePeer peer : peers) {
        peer.close();
      }
      long drainer = open(host, false);
      for (long sequence = 100; ; sequence++) {
        Message m;
        try {
          m = await(host.receive(CALLER, new Receipt(drainer, sequence), 0));
        } catch (ExecutionException empty) {
          break;
        }
        await(host.commit(CALLER, new Receipt(drainer, sequence)));
        taken.add(id(m.message()));
      }
      List<Integer> in = new ArrayList<>(accepted);
      Collections.sort(in);
      Collections.sort(taken);
      assertEquals(in, taken, "seed " + seed + ", accepted sends against messages taken, after:\n"
          + String.join("\n", steps));
    } finally {
      host.close();
    }
  }
}
