package org.onyxrpc.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.ClientStats;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.testing.FaultProxy.Faults;

/**
 * Thousands of calls through a proxy that drops, duplicates, delays, reorders and resets, with
 * the server counting how often each call ran: the failure-semantics table, proven.
 */
class FailureSemanticsTest {
  private static final int CALLS = 2_000;
  private static final int OUTSTANDING = 16;
  private static final Faults EVERYTHING = new Faults(
      0.03, 0.03, 0.03, 0.03, 60, 0.03, 0.01, 0.02);

  private ExecutionLedger ledger;
  private RpcServer server;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws Exception {
    ledger = new ExecutionLedger();
    server = RpcServer.builder().addService(ledger.definition()).build().start();
    proxy = new FaultProxy(server.port(), EVERYTHING, 20261122L);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    server.close();
  }

  private RpcClient client(Duration deadline) {
    return RpcClient.builder().address("127.0.0.1", proxy.port())
        .timeout(deadline).attemptTimeout(Duration.ofMillis(40)).build();
  }

  /** What a run produced: outcome per call id (null: success). */
  private record Run(RpcStatus[] outcomes, ClientStats client) {
    Map<RpcStatus, Integer> errors() {
      Map<RpcStatus, Integer> errors = new EnumMap<>(RpcStatus.class);
      for (RpcStatus s : outcomes) {
        if (s != null) {
          errors.merge(s, 1, Integer::sum);
        }
      }
      return errors;
    }

    int successes() {
      int n = 0;
      for (RpcStatus s : outcomes) {
        n += s == null ? 1 : 0;
      }
      return n;
    }
  }

  private Run run(Procedure<Long, Long> procedure, CallOptions options, Duration deadline)
      throws Exception {
    RpcStatus[] outcomes = new RpcStatus[CALLS];
    Semaphore window = new Semaphore(OUTSTANDING);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    try (RpcClient client = client(deadline)) {
      for (int i = 0; i < CALLS; i++) {
        int id = i;
        window.acquire();
        all.add(client.callAsync(procedure, (long) id, options).handle((result, failure) -> {
          window.release();
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            outcomes[id] = ((RpcException) cause).status();
          } else {
            assertEquals(id * 2L, result);
          }
          return null;
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
      return new Run(outcomes, client.stats());
    }
  }

  private void report(String semantics, Run run, int[] histogram) {
    System.out.printf("%s: %d calls, %d ok, errors %s; executions per call 0/1/2+: %d/%d/%d; "
            + "client %s; proxy: %d requests, %d dropped, %d replies dropped, %d duplicated, "
            + "%d delayed, %d reordered, %d resets, %d crashes after execute; server %s%n",
        semantics, CALLS, run.successes(), run.errors(), histogram[0], histogram[1], histogram[2],
        run.client(), proxy.requests.sum(), proxy.droppedRequests.sum(), proxy.droppedReplies.sum(),
        proxy.duplicated.sum(), proxy.delayed.sum(), proxy.reordered.sum(), proxy.resets.sum(),
        proxy.crashes.sum(), server.stats());
  }

  private int[] histogram() {
    int[] histogram = new int[3];
    for (long id = 0; id < CALLS; id++) {
      histogram[Math.min(2, ledger.executions(id))]++;
    }
    return histogram;
  }

  @Test
  void atMostOnceNeverRunsACallTwice() throws Exception {
    Run run = run(ExecutionLedger.RECORD, CallOptions.DEFAULT, Duration.ofSeconds(20));
    int[] histogram = histogram();
    report("AT_MOST_ONCE", run, histogram);
    for (int id = 0; id < CALLS; id++) {
      int executions = ledger.executions(id);
      assertTrue(executions <= 1, "call " + id + " ran " + executions + " times");
      if (run.outcomes()[id] == null) {
        assertEquals(1, executions, "successful call " + id);
      }
    }
    assertEquals(0, histogram[2]);
    assertTrue(run.successes() >= CALLS * 99 / 100, run.errors().toString());
    assertTrue(run.client().retransmissions() > 0);
    assertTrue(server.stats().duplicatesReplayed() > 0, server.stats().toString());
  }

  @Test
  void atLeastOnceAlwaysSucceedsAndMayRunTwice() throws Exception {
    Run run = run(ExecutionLedger.RECORD_IDEMPOTENT, CallOptions.DEFAULT, Duration.ofSeconds(20));
    int[] histogram = histogram();
    report("AT_LEAST_ONCE", run, histogram);
    assertEquals(CALLS, run.successes(), run.errors().toString());
    assertEquals(0, histogram[0]);
    assertTrue(histogram[2] > 0, "some calls ran more than once");
    assertEquals(0, server.stats().duplicatesReplayed());
  }

  @Test
  void maybeNeverRetransmits() throws Exception {
    Run run = run(ExecutionLedger.RECORD,
        CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE), Duration.ofMillis(400));
    int[] histogram = histogram();
    report("MAYBE", run, histogram);
    assertEquals(0, run.client().retransmissions());
    for (int id = 0; id < CALLS; id++) {
      if (run.outcomes()[id] == null) {
        // At least once: the proxy's own duplicates reach the server, and maybe filters nothing.
        assertTrue(ledger.executions(id) >= 1, "successful call " + id);
      }
    }
    assertTrue(run.successes() < CALLS, "faults cost some calls");
  }
}
