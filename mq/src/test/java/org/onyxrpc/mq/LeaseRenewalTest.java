package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A handle's renewal goes at most every 100 ms, and never while the last is unanswered. */
class LeaseRenewalTest {
  @Test
  void aLeaseTooShortOrNegativeIsRenewedEveryTenthOfASecond() {
    for (long lease : new long[] {1, 0, -1, Long.MIN_VALUE, 299}) {
      assertEquals(100, LeaseRenewal.periodMillis(lease), "lease " + lease);
    }
    assertEquals(1_000, LeaseRenewal.periodMillis(3_000));
    assertEquals(Long.MAX_VALUE / 3, LeaseRenewal.periodMillis(Long.MAX_VALUE));
  }

  @Test
  void aRenewalIsSentOnlyOnceTheLastIsAnswered() {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    LeaseRenewal renewal = new LeaseRenewal(() -> {
      CompletableFuture<Boolean> call = new CompletableFuture<>();
      sent.add(call);
      return call;
    });
    renewal.run();
    renewal.run();
    renewal.run();
    assertEquals(1, sent.size(), "the first is unanswered");
    sent.get(0).completeExceptionally(new IllegalStateException("lost"));
    renewal.run();
    assertEquals(2, sent.size());
    sent.get(1).complete(null);
    renewal.run();
    assertEquals(3, sent.size());
  }

  @Test
  void aRenewalThatCannotBeSentIsTriedAgainNextTime() {
    int[] tries = {0};
    LeaseRenewal renewal = new LeaseRenewal(() -> {
      tries[0]++;
      throw new IllegalStateException("client closed");
    });
    renewal.run();
    renewal.run();
    assertEquals(2, tries[0]);
  }

  @Test
  void aRenewalThatFindsTheHandleGoneStopsTheRenewals() {
    List<CompletableFuture<Boolean>> sent = new ArrayList<>();
    LeaseRenewal renewal = new LeaseRenewal(() -> {
      CompletableFuture<Boolean> call = new CompletableFuture<>();
      sent.add(call);
      return call;
    });
    int[] stops = {0};
    renewal.whenGone(() -> stops[0]++);
    renewal.run();
    sent.get(0).complete(false); // held: renewed on
    renewal.run();
    sent.get(1).complete(true); // EBADF: the server holds no such handle
    renewal.run();
    assertEquals(2, sent.size(), "renewed after the handle was gone");
    assertEquals(1, stops[0]);
    renewal.whenGone(() -> stops[0]++); // registered late: runs at once
    assertEquals(2, stops[0]);
  }
}
