package org.onyxrpc.internal.rpcbind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first few of many in an order, found without sorting them all: a UDP listing to another
 * machine carries only what fits in the call's own size (a handful of entries), and sorting a
 * table of thousands for each such datagram made every one of them cost a millisecond.
 */
public final class FirstInOrder {
  private FirstInOrder() {}

  /**
   * The first {@code most} of {@code items} in {@code order}, sorted; all of them when they are
   * no more. {@code items} is reordered.
   *
   * @param items the candidates; reordered
   * @param order their order
   * @param most how many are wanted, 0 or more
   * @param <T> the type of the items
   * @return the first {@code most}, in {@code order}
   */
  public static <T> List<T> of(List<T> items, Comparator<? super T> order, int most) {
    if (most >= items.size()) {
      items.sort(order);
      return items;
    }
    if (most <= 0) {
      return new ArrayList<>();
    }
    // The last of the first `most` seen so far on top, pushed out by any that comes before it.
    PriorityQueue<T> first = new PriorityQueue<>(most, Collections.reverseOrder(order));
    for (T item : items) {
      if (first.size() < most) {
        first.add(item);
      } else if (order.compare(item, first.peek()) < 0) { // most come after: one comparison each
        first.poll();
        first.add(item);
      }
    }
    List<T> sorted = new ArrayList<>(first);
    sorted.sort(order);
    return sorted;
  }
}
