package org.onyxrpc.server;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of one connection whose procedures have not ended: what tells a registration for a
 * running call ({@link CallContext#onConnectionClosed}) from a late one for a call already
 * answered. A call takes a slot when it starts, on the connection's event loop (the only writer
 * of empty slots), and empties it when it ends, on whatever thread ends it. Slots never move
 * (chunks are added, not copied), so the one an ending call empties is the one every reader sees.
 * A call costs a released write and a volatile one, and no allocation; the slots never outnumber
 * the calls in flight at once, since a call's slot is empty before its place in flight is given
 * back.
 */
final class RunningCalls {
  private static final int CHUNK = 32;

  @SuppressWarnings({"unchecked", "rawtypes"}) // Java has no generic array creation
  private volatile AtomicReferenceArray<CallContext>[] chunks = new AtomicReferenceArray[0];
  private int next; // the event loop's: where the search for an empty slot begins

  /** On the connection's event loop: puts {@code call} in an empty slot and returns that slot. */
  int start(CallContext call) {
    AtomicReferenceArray<CallContext>[] all = chunks;
    int capacity = all.length * CHUNK;
    for (int i = 0; i < capacity; i++) {
      int slot = (next + i) % capacity;
      AtomicReferenceArray<CallContext> chunk = all[slot / CHUNK];
      if (chunk.get(slot % CHUNK) == null) {
        // Released: whoever registers for the call got it through a hand-off that follows this.
        chunk.setRelease(slot % CHUNK, call);
        next = slot + 1;
        return slot;
      }
    }
    AtomicReferenceArray<CallContext> added = new AtomicReferenceArray<>(CHUNK);
    added.set(0, call);
    all = Arrays.copyOf(all, all.length + 1);
    all[all.length - 1] = added;
    chunks = all;
    next = capacity + 1;
    return capacity;
  }

  /** The call in {@code slot} has ended: any thread, once. */
  void end(int slot) {
    chunks[slot / CHUNK].set(slot % CHUNK, null);
  }

  /** Whether {@code call} has started here and not ended; any thread. */
  boolean holds(CallContext call) {
    for (AtomicReferenceArray<CallContext> chunk : chunks) {
      for (int i = 0; i < CHUNK; i++) {
        if (chunk.get(i) == call) {
          return true;
        }
      }
    }
    return false;
  }
}
