package org.onyxrpc.server;

/**
 * The addresses a client's calls came from besides its first, so that the duplicate request
 * cache, forgetting the client, marks them all ({@link ForgottenAddresses}): a client id travels
 * in plaintext, and one call with it from elsewhere must not move the mark off the address the
 * client itself retransmits from. Owned by the cache's shard, like the client it belongs to.
 */
final class OtherOrigins {
  /**
   * Addresses a client's calls may come from besides its first before its forgetting marks every
   * address: a client that moves once or twice (a new interface, a NAT's other address) still
   * costs only its own; one whose id is sent from many costs everyone, for the ttl, rather than
   * leaving an address it called from unmarked.
   */
  static final int MAX_ADDRESSES = 3;
  /** Stands for "no address" (a local socket's caller): a free slot is null. */
  private static final Object NO_ADDRESS = new Object();

  private final Object[] addresses = new Object[MAX_ADDRESSES];
  /** Past {@link #MAX_ADDRESSES}: forgetting the client marks every address. */
  private boolean roamed;

  /** Notes that a call came from {@code from} (null: no address). */
  void add(Object from) {
    if (roamed) {
      return;
    }
    Object address = from == null ? NO_ADDRESS : from;
    for (int i = 0; i < addresses.length; i++) {
      if (addresses[i] == null) {
        addresses[i] = address;
        return;
      }
      if (addresses[i].equals(address)) {
        return;
      }
    }
    roamed = true;
  }

  /**
   * Marks until {@code until} every address a forgotten client's calls came from: {@code home}
   * and {@code others}' (null: none), or every address once it roamed.
   */
  static void mark(ForgottenAddresses forgotten, Object home, OtherOrigins others, long until) {
    if (others != null && others.roamed) {
      forgotten.markEveryone(until);
      return;
    }
    forgotten.mark(home, until);
    if (others != null) {
      for (Object address : others.addresses) {
        if (address != null) {
          forgotten.mark(address == NO_ADDRESS ? null : address, until);
        }
      }
    }
  }
}
