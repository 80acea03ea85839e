package org.onyxrpc.semantics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodecs;

/** A service whose procedures count how many times each call id ran: the test's ground truth. */
final class ExecutionLedger {
  static final int PROGRAM = 0x20000600;
  static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Ledger.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  static final Procedure<Long, Long> RECORD_IDEMPOTENT = new Procedure<>(PROGRAM, 1, 2,
      "Ledger.recordIdempotent", XdrCodecs.HYPER, XdrCodecs.HYPER, CallSemantics.AT_LEAST_ONCE);
  /** Runs for {@link #slowMillis}, or until {@link #holdUntil} holds, before it answers. */
  static final Procedure<Long, Long> RECORD_SLOWLY =
      new Procedure<>(PROGRAM, 1, 3, "Ledger.recordSlowly", XdrCodecs.HYPER, XdrCodecs.HYPER);

  final Map<Long, AtomicInteger> executions = new ConcurrentHashMap<>();
  volatile long slowMillis = 300;
  /** If set, what the slow procedure waits for (at most 30 s) instead of {@link #slowMillis}. */
  volatile BooleanSupplier holdUntil;

  ServiceDefinition definition() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(RECORD, (id, ctx) -> record(id))
        .procedure(RECORD_IDEMPOTENT, (id, ctx) -> record(id))
        .procedure(RECORD_SLOWLY, (id, ctx) -> {
          long result = record(id);
          BooleanSupplier until = holdUntil;
          if (until == null) {
            Thread.sleep(slowMillis); // a slow procedure: not a wait for an event
          } else {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!until.getAsBoolean() && System.nanoTime() < end) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
          }
          return result;
        })
        .build();
  }

  private long record(long id) {
    executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return id * 2;
  }

  int executions(long id) {
    AtomicInteger n = executions.get(id);
    return n == null ? 0 : n.get();
  }
}
